package io.mpcw.protocol.signing;

import static io.mpcw.protocol.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.signing.SigningCluster.Payment;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.transport.pki.RecordSignatures;
import io.mpcw.types.cluster.NodeIdentities;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.CastResult;
import io.mpcw.votes.Decision;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VotePayload;
import io.mpcw.votes.VoteRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Round 2 against a real etcd in one read and one write ({@link EtcdRoundTwo}): the requests it
 * sends, and every refusal of the merged write when something changes between the read and it.
 */
class EtcdRoundTwoTest {
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static final List<String> SIGNERS = List.of("node-1", "node-2", "node-4");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static Client client;
  private static EtcdKeys keys;
  private static EtcdVoteLedger ledger;
  private static SigningCluster cluster;

  private CountingKv kv;
  private Map<String, SigningParticipant> nodes;
  private final String recipient = SigningCluster.randomRecipient();

  @BeforeAll
  static void connect() {
    keys = new EtcdKeys(ETCD.keyPrefix());
    client = ETCD.client("root");
    ledger = new EtcdVoteLedger(client.getKVClient(), keys, TIMEOUT, Duration.ofSeconds(30));
    cluster = new SigningCluster();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @BeforeEach
  void signers() {
    kv = new CountingKv(client.getKVClient());
    nodes =
        cluster.participants(
            node -> roundTwo(kv, node), new SpendLimits(10_000), Clock.systemUTC());
  }

  private static EtcdRoundTwo roundTwo(KV through, String node) {
    return new EtcdRoundTwo(through, keys, TIMEOUT, quorumOfFour(), cluster.pki.identity(node));
  }

  private static ApprovalQuorum quorumOfFour() {
    return new ApprovalQuorum(
        4,
        cluster.pki::certificate,
        cluster.pki.ca(),
        NodeIdentities.defaults(),
        EtcdApprovalCheck.OwnVotes.none());
  }

  /** A payment four of the five nodes approved (four required). */
  private Payment approvedPayment() {
    Payment p = cluster.payment(2, recipient, 42_000, 1_000);
    VotePayload payload = new VotePayload(p.txId(), cluster.walletId, recipient, 42_000);
    for (String node : List.of("node-1", "node-2", "node-3", "node-5")) {
      VoteRecord unsigned =
          VoteRecord.unsigned(
              p.txId(),
              node,
              Decision.APPROVE,
              "",
              payload.digest(Decision.APPROVE),
              Instant.now());
      VoteRecord signed =
          unsigned.withSignature(
              RecordSignatures.sign(cluster.pki.identity(node), unsigned.signingPayload()));
      assertThat(ledger.cast(signed)).isInstanceOf(CastResult.Counted.class);
    }
    return p;
  }

  private static Optional<String> value(String key) {
    try {
      return client
          .getKVClient()
          .get(ByteSequence.from(key, StandardCharsets.UTF_8))
          .get(5, TimeUnit.SECONDS)
          .getKvs()
          .stream()
          .findFirst()
          .map(e -> e.getValue().toString(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void put(String key, String value) {
    try {
      client
          .getKVClient()
          .put(
              ByteSequence.from(key, StandardCharsets.UTF_8),
              ByteSequence.from(value, StandardCharsets.UTF_8))
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String txid(Payment p) {
    return p.tx().txid().toDisplayHex();
  }

  @Test
  void oneRoundTwoIsOneEtcdReadAndOneEtcdWrite() {
    Payment p = approvedPayment();
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    List<SignShareResponse> replies = new ArrayList<>();
    for (String node : SIGNERS) {
      kv.reset();
      replies.add(nodes.get(node).share(request));
      assertThat(kv.requests()).as("etcd requests of %s's round 2", node).isEqualTo(2);
    }

    assertThat(cluster.aggregate(request, p, replies)).hasSize(2);
    for (String node : SIGNERS) {
      assertThat(value(keys.signingLock(p.txId(), node))).contains(txid(p));
      assertThat(value(keys.signingShare(p.txId(), request.sessionId(), node)))
          .hasValueSatisfying(
              record ->
                  assertThat(ShareRecord.decode(record.getBytes(StandardCharsets.UTF_8)).shares())
                      .isEqualTo(replies.get(SIGNERS.indexOf(node))));
    }
  }

  @Test
  void theSingleChecksOneAfterTheOtherTakeFourEtcdRequests() {
    Payment p = approvedPayment();
    EtcdSigningSessions sessions = new EtcdSigningSessions(kv, keys, TIMEOUT);
    Map<String, SigningParticipant> separate =
        cluster.participants(
            node ->
                RoundTwoRecords.separate(
                    new EtcdApprovalCheck(
                        new EtcdVoteLedger(kv, keys, TIMEOUT, TIMEOUT),
                        4,
                        cluster.pki::certificate,
                        cluster.pki.ca()),
                    new EtcdSigningLock(kv, keys, TIMEOUT),
                    sessions.recorder(cluster.pki.identity(node))),
            new SpendLimits(10_000),
            Clock.systemUTC());
    SignShareRequest request = cluster.roundOne(separate, SIGNERS, p);
    kv.reset();

    separate.get("node-1").share(request);

    assertThat(kv.requests()).isEqualTo(4);
  }

  @Test
  void aPaymentWithoutTheQuorumIsRefusedAfterTheReadAlone() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    kv.reset();
    assertRefused(
        () -> nodes.get("node-2").share(request),
        ProtocolErrors.NOT_APPROVED,
        "0 valid approvals for this payment, 4 required");
    assertThat(kv.requests()).isEqualTo(1);
    assertThat(value(keys.signingLock(p.txId(), "node-2"))).isEmpty();
  }

  @Test
  void aLockOnAnotherTransactionFoundByTheReadIsRefusedWithoutAWrite() {
    Payment p = approvedPayment();
    put(keys.signingLock(p.txId(), "node-3"), "bb".repeat(32));
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    kv.reset();

    assertRefused(
        () -> nodes.get("node-1").share(request),
        ProtocolErrors.CONFLICTING_TRANSACTION,
        "already signed as transaction " + "bb".repeat(32) + " by node-3, not " + txid(p));

    assertThat(kv.requests()).isEqualTo(1);
    assertThat(value(keys.signingLock(p.txId(), "node-1"))).isEmpty();
    assertThat(value(keys.signingShare(p.txId(), request.sessionId(), "node-1"))).isEmpty();
  }

  @Test
  void aLockOnAnotherTransactionWrittenBetweenTheReadAndTheWriteIsRefusedAndNothingIsWritten() {
    Payment p = approvedPayment();
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    kv.afterRequest(1, () -> put(keys.signingLock(p.txId(), "node-5"), "cc".repeat(32)));

    assertRefused(
        () -> nodes.get("node-2").share(request),
        ProtocolErrors.CONFLICTING_TRANSACTION,
        "already signed as transaction " + "cc".repeat(32) + " by node-5, not " + txid(p));

    assertThat(kv.requests()).isEqualTo(2);
    assertThat(value(keys.signingLock(p.txId(), "node-2"))).isEmpty();
    assertThat(value(keys.signingShare(p.txId(), request.sessionId(), "node-2"))).isEmpty();
    // the nonces were burnt with the refusal
    assertRefused(() -> nodes.get("node-2").share(request), ProtocolErrors.UNKNOWN_SESSION, "");
  }

  @Test
  void aSessionAbortedBetweenTheReadAndTheWriteIsRefusedAndNoLockIsWritten() {
    Payment p = approvedPayment();
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    EtcdSigningSessions coordinator = new EtcdSigningSessions(client.getKVClient(), keys, TIMEOUT);
    kv.afterRequest(
        1,
        () ->
            assertThat(
                    coordinator
                        .abortUnlessComplete(p.txId(), request.sessionId(), SIGNERS, "test: late")
                        .aborted())
                .isTrue());

    assertRefused(
        () -> nodes.get("node-4").share(request),
        ProtocolErrors.SESSION_ABORTED,
        request.sessionId().toString());

    assertThat(value(keys.signingLock(p.txId(), "node-4"))).isEmpty();
    SessionRecord session = coordinator.read(p.txId(), request.sessionId(), SIGNERS);
    assertThat(session.aborted()).isTrue();
    assertThat(session.shares()).isEmpty();
  }

  @Test
  void sharesAlreadyRecordedForTheSessionAreRefusedAndNoLockIsWritten() {
    Payment p = approvedPayment();
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    String share = keys.signingShare(p.txId(), request.sessionId(), "node-1");
    put(share, "written before");

    assertRefused(
        () -> nodes.get("node-1").share(request),
        ProtocolErrors.SHARE_ALREADY_RECORDED,
        "shares of node-1 for signing session " + request.sessionId());

    assertThat(value(share)).contains("written before");
    assertThat(value(keys.signingLock(p.txId(), "node-1"))).isEmpty();
  }

  @Test
  void aLockOfTheSameTransactionWrittenBetweenTheReadAndTheWriteIsJoinedOnTheNextTry() {
    Payment p = approvedPayment();
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    kv.afterRequest(1, () -> put(keys.signingLock(p.txId(), "node-3"), txid(p)));

    SignShareResponse reply = nodes.get("node-1").share(request);

    // the read, the write that lost its compare, the write on what its Else read
    assertThat(kv.requests()).isEqualTo(3);
    assertThat(value(keys.signingLock(p.txId(), "node-1"))).contains(txid(p));
    assertThat(
            ShareRecord.decode(
                    value(keys.signingShare(p.txId(), request.sessionId(), "node-1"))
                        .orElseThrow()
                        .getBytes(StandardCharsets.UTF_8))
                .shares())
        .isEqualTo(reply);
  }

  @Test
  void thisNodesOwnLockOnTheSameTransactionIsKeptAndTheSharesRecorded() {
    Payment p = approvedPayment();
    SignShareRequest first = cluster.roundOne(nodes, SIGNERS, p);
    nodes.get("node-2").share(first);
    SignShareRequest retry = cluster.roundOne(nodes, SIGNERS, p);
    kv.reset();

    nodes.get("node-2").share(retry);

    assertThat(kv.requests()).isEqualTo(2);
    assertThat(value(keys.signingShare(p.txId(), retry.sessionId(), "node-2"))).isPresent();
  }

  @Test
  void anUnreachableEtcdIsReportedAsUnavailableAndNoShareLeaves() {
    Payment p = approvedPayment();
    try (Client dead = Client.builder().endpoints("http://127.0.0.1:1").build()) {
      Map<String, SigningParticipant> cut =
          cluster.participants(
              node ->
                  new EtcdRoundTwo(
                      dead.getKVClient(),
                      keys,
                      Duration.ofMillis(300),
                      quorumOfFour(),
                      cluster.pki.identity(node)),
              new SpendLimits(10_000),
              Clock.systemUTC());
      SignShareRequest request = cluster.roundOne(cut, SIGNERS, p);
      assertRefused(
          () -> cut.get("node-1").share(request), ProtocolErrors.ETCD_UNAVAILABLE, "etcd");
      assertThat(cut.get("node-1").liveSessions()).isZero();
    }
  }

  /** node-1's batch of round 2s on {@code payments}, read and claimed, ready to record. */
  private List<RoundTwoRecords.Read> readAndClaim(EtcdRoundTwo node1, List<Payment> payments) {
    List<RoundTwoRecords.Read> reads = readAll(node1, payments);
    for (int i = 0; i < payments.size(); i++) {
      Payment p = payments.get(i);
      reads.get(i).requireApproved(cluster.walletId, recipient, p.amountSats());
      reads.get(i).claim(txid(p));
    }
    return reads;
  }

  /** node-1's batch read of round 2s on {@code payments}, the wallet's five nodes participating. */
  private static List<RoundTwoRecords.Read> readAll(EtcdRoundTwo node1, List<Payment> payments) {
    return node1.readAll(
        "node-1",
        payments.stream()
            .map(p -> new RoundTwoRecords.Reading(p.txId(), SigningCluster.NODES))
            .toList());
  }

  private static List<RoundTwoRecords.Recording> recordings(
      List<RoundTwoRecords.Read> reads, List<UUID> sessions) {
    List<RoundTwoRecords.Recording> out = new ArrayList<>();
    for (int i = 0; i < reads.size(); i++) {
      out.add(
          new RoundTwoRecords.Recording(
              reads.get(i), 0, new SignShareResponse(sessions.get(i), "node-1", List.of("0" + i))));
    }
    return out;
  }

  @Test
  void aBatchOfRoundTwosIsOneEtcdReadAndOneEtcdWriteAndRecordsEachAsAlone() {
    List<Payment> payments = List.of(approvedPayment(), approvedPayment(), approvedPayment());
    List<UUID> sessions = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    EtcdRoundTwo node1 = roundTwo(kv, "node-1");
    kv.reset();

    List<RoundTwoRecords.Read> reads = readAndClaim(node1, payments);
    List<Optional<ProtocolException>> results = node1.recordAll(recordings(reads, sessions));

    assertThat(results).containsOnly(Optional.empty());
    assertThat(kv.requests()).isEqualTo(2);
    // the read is a read in etcd; only the write takes a Raft entry
    assertThat(kv.writes()).isEqualTo(1);
    for (int i = 0; i < payments.size(); i++) {
      Payment p = payments.get(i);
      SignShareResponse expected =
          new SignShareResponse(sessions.get(i), "node-1", List.of("0" + i));
      assertThat(value(keys.signingLock(p.txId(), "node-1"))).contains(txid(p));
      assertThat(value(keys.signingShare(p.txId(), sessions.get(i), "node-1")))
          .hasValueSatisfying(
              record ->
                  assertThat(ShareRecord.decode(record.getBytes(StandardCharsets.UTF_8)).shares())
                      .isEqualTo(expected));
    }
  }

  @Test
  void aBatchReadStaysAReadInEtcdAndSplitsAtEtcdsOperationsPerTransaction() throws Exception {
    // 11 gets a payment (5 votes, the decision, 5 locks): 12 payments are 132 gets, over 128
    List<Payment> payments = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      payments.add(i == 7 ? cluster.payment(1, recipient, 42_000, 1_000) : approvedPayment());
    }
    EtcdRoundTwo node1 = roundTwo(kv, "node-1");
    String endpoint = ETCD.endpoints().split(",")[0];
    long raftIndex = client.getMaintenanceClient().statusMember(endpoint).get().getRaftIndex();
    kv.reset();

    List<RoundTwoRecords.Read> reads = readAll(node1, payments);

    assertThat(kv.requests()).isEqualTo(2);
    assertThat(kv.writes()).isZero();
    assertThat(client.getMaintenanceClient().statusMember(endpoint).get().getRaftIndex())
        .as("no Raft entry for the reads")
        .isEqualTo(raftIndex);
    assertThat(reads).hasSize(12);
    for (int i = 0; i < payments.size(); i++) {
      Payment p = payments.get(i);
      RoundTwoRecords.Read read = reads.get(i);
      if (i == 7) {
        assertRefused(
            () -> read.requireApproved(cluster.walletId, recipient, 42_000),
            ProtocolErrors.NOT_APPROVED,
            "0 valid approvals");
      } else {
        read.requireApproved(cluster.walletId, recipient, p.amountSats());
      }
    }
  }

  /** {@code node}'s lock names {@code p}'s txid and its shares of {@code session} are recorded. */
  private static void assertLockedAndRecorded(Payment p, UUID session, String node) {
    assertThat(value(keys.signingLock(p.txId(), node))).as(node).contains(txid(p));
    assertThat(value(keys.signingShare(p.txId(), session, node))).as(node).isPresent();
  }

  /**
   * Each of a {@code session}'s signers reads and claims {@code p} before any of them writes, so
   * each finds the others' locks absent; their round 2s go into {@code into}.
   */
  private Map<String, RoundTwoRecords.Read> readBeforeAnyWrites(
      Payment p, List<String> session, Map<String, EtcdRoundTwo> into) {
    Map<String, RoundTwoRecords.Read> reads = new TreeMap<>();
    for (String node : session) {
      EtcdRoundTwo records = roundTwo(kv, node);
      into.put(node, records);
      RoundTwoRecords.Read read = records.read(p.txId(), node, SigningCluster.NODES);
      read.requireApproved(cluster.walletId, recipient, p.amountSats());
      read.claim(txid(p), session);
      reads.put(node, read);
    }
    return reads;
  }

  /** Each signer in {@code order} records the same {@code shares} of its session's round 2. */
  private static void recordInOrder(
      Map<String, RoundTwoRecords.Read> reads,
      UUID session,
      List<String> order,
      List<String> shares) {
    for (String node : order) {
      reads.get(node).record(0, new SignShareResponse(session, node, shares));
    }
  }

  @Test
  void theSignersOfOneSessionReadTogetherThenEachWritesOnceWhateverTheOrder() {
    Payment p = approvedPayment();
    UUID session = UUID.randomUUID();
    Map<String, EtcdRoundTwo> signers = new TreeMap<>();
    Map<String, RoundTwoRecords.Read> reads = readBeforeAnyWrites(p, SIGNERS, signers);
    kv.reset();

    recordInOrder(reads, session, List.of("node-4", "node-1", "node-2"), List.of("00"));

    // one transaction each: no write lost to a lock its own session wrote meanwhile
    assertThat(kv.requests()).isEqualTo(3);
    for (String node : SIGNERS) {
      assertThat(signers.get(node).shareWrites()).isOne();
      assertThat(signers.get(node).shareWritesAgain()).isZero();
      assertLockedAndRecorded(p, session, node);
    }
  }

  @Test
  void fiveSignersOfOneSessionEachWriteOnceWhateverTheOrder() {
    Payment p = approvedPayment();
    UUID session = UUID.randomUUID();
    List<String> five = SigningCluster.NODES;
    Map<String, EtcdRoundTwo> signers = new TreeMap<>();
    Map<String, RoundTwoRecords.Read> reads = readBeforeAnyWrites(p, five, signers);

    recordInOrder(
        reads, session, List.of("node-3", "node-5", "node-1", "node-4", "node-2"), List.of("00"));

    // the last writer found four locks of its session written since its read: none cost a try
    for (String node : five) {
      assertThat(signers.get(node).shareWritesAgain()).as(node).isZero();
      assertLockedAndRecorded(p, session, node);
    }
  }

  @Test
  void aShareRecordOfManyInputsAwaitsNoLockAndALockOfItsSessionWrittenMeanwhileCostsATry() {
    Payment p = approvedPayment();
    UUID session = UUID.randomUUID();
    Map<String, EtcdRoundTwo> signers = new TreeMap<>();
    Map<String, RoundTwoRecords.Read> reads = readBeforeAnyWrites(p, SIGNERS, signers);

    recordInOrder(reads, session, List.of("node-1", "node-2"), largestShares());

    // one copy of such a record is over half of a tree's bytes: node-2 compared node-1's lock as
    // read, lost to it, read it in the Else and was recorded on its second try
    assertThat(signers.get("node-1").shareWritesAgain()).isZero();
    assertThat(signers.get("node-2").shareWritesAgain()).isOne();
    for (String node : List.of("node-1", "node-2")) {
      assertLockedAndRecorded(p, session, node);
    }
  }

  @Test
  void aBatchOfTheLargestShareRecordsIsSplitToStayWithinEtcdsRequestSizeAndEachRecorded() {
    int count = SignPooledShareBatchRequest.MAX_SESSIONS;
    List<Payment> payments = new ArrayList<>();
    List<UUID> sessions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      payments.add(approvedPayment());
      sessions.add(UUID.randomUUID());
    }
    EtcdRoundTwo node1 = roundTwo(kv, "node-1");
    List<RoundTwoRecords.Read> reads = readAll(node1, payments);
    List<RoundTwoRecords.Recording> recordings = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      reads.get(i).claim(txid(payments.get(i)), SIGNERS);
      recordings.add(
          new RoundTwoRecords.Recording(
              reads.get(i), 0, new SignShareResponse(sessions.get(i), "node-1", largestShares())));
    }
    kv.reset();

    List<Optional<ProtocolException>> results = node1.recordAll(recordings);

    // ≈ 40 kB a record, each alone (no tree): two requests, each within the budget; with a tree of
    // four leaves each, in one request, they were over what etcd takes (2.2 MB) and all refused
    assertThat(results).hasSize(count).containsOnly(Optional.empty());
    assertThat(kv.writes()).isEqualTo(2);
    for (int i = 0; i < count; i++) {
      assertThat(value(keys.signingShare(payments.get(i).txId(), sessions.get(i), "node-1")))
          .isPresent();
    }
  }

  @Test
  void aWriteAwaitsAsManyLocksAsItsLeavesCopiesOfThePutsAllow() {
    assertThat(EtcdRoundTwo.awaitable(1_000)).isEqualTo(EtcdRoundTwo.MAX_AWAITED_LOCKS);
    assertThat(EtcdRoundTwo.awaitable(EtcdRoundTwo.MAX_TREE_PUT_BYTES / 4)).isEqualTo(2);
    assertThat(EtcdRoundTwo.awaitable(EtcdRoundTwo.MAX_TREE_PUT_BYTES / 4 + 1)).isEqualTo(1);
    assertThat(EtcdRoundTwo.awaitable(EtcdRoundTwo.MAX_TREE_PUT_BYTES / 2 + 1)).isZero();
  }

  /** One share per input of the largest transaction a signer signs. */
  private static List<String> largestShares() {
    List<String> shares = new ArrayList<>();
    for (int i = 0; i < SignCommitRequest.MAX_INPUTS; i++) {
      shares.add("ab".repeat(32));
    }
    return shares;
  }

  @Test
  void aSessionSignerLockingAnotherTransactionMeanwhileIsRefusedAndNothingIsWritten() {
    Payment p = approvedPayment();
    UUID session = UUID.randomUUID();
    EtcdRoundTwo node1 = roundTwo(kv, "node-1");
    RoundTwoRecords.Read read = node1.read(p.txId(), "node-1", SigningCluster.NODES);
    read.requireApproved(cluster.walletId, recipient, p.amountSats());
    read.claim(txid(p), SIGNERS);
    // between the read and the write, a signer of the same session binds another transaction
    put(keys.signingLock(p.txId(), "node-4"), "cc".repeat(32));

    assertRefused(
        () -> read.record(0, new SignShareResponse(session, "node-1", List.of("00"))),
        ProtocolErrors.CONFLICTING_TRANSACTION,
        "by node-4");
    assertThat(value(keys.signingLock(p.txId(), "node-1"))).isEmpty();
    assertThat(value(keys.signingShare(p.txId(), session, "node-1"))).isEmpty();
  }

  @Test
  void aBatchReadCountsEachPaymentsApprovalsOnItsOwn() {
    Payment approved = approvedPayment();
    Payment unapproved = cluster.payment(1, recipient, 42_000, 1_000);
    EtcdRoundTwo node1 = roundTwo(kv, "node-1");

    List<RoundTwoRecords.Read> reads =
        node1.readAll(
            "node-1",
            List.of(
                new RoundTwoRecords.Reading(unapproved.txId(), SigningCluster.NODES),
                new RoundTwoRecords.Reading(approved.txId(), SigningCluster.NODES)));

    assertRefused(
        () -> reads.get(0).requireApproved(cluster.walletId, recipient, 42_000),
        ProtocolErrors.NOT_APPROVED,
        "0 valid approvals for this payment, 4 required");
    reads.get(1).requireApproved(cluster.walletId, recipient, 42_000);
  }

  @Test
  void inABatchWriteEachPaymentIsRefusedOrRecordedOnItsOwnAsIfAlone() {
    Payment conflict = approvedPayment();
    Payment aborted = approvedPayment();
    Payment recorded = approvedPayment();
    Payment joined = approvedPayment();
    List<Payment> payments = List.of(conflict, aborted, recorded, joined);
    List<UUID> sessions =
        List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    EtcdRoundTwo node1 = roundTwo(kv, "node-1");
    EtcdSigningSessions coordinator = new EtcdSigningSessions(client.getKVClient(), keys, TIMEOUT);
    kv.reset();
    // between the batch's read and its write: another txid locked for the first payment, the
    // second's session aborted, the third's shares recorded, a lock of the fourth's own txid
    kv.afterRequest(
        1,
        () -> {
          put(keys.signingLock(conflict.txId(), "node-5"), "cc".repeat(32));
          coordinator.abortUnlessComplete(aborted.txId(), sessions.get(1), SIGNERS, "test: late");
          put(keys.signingShare(recorded.txId(), sessions.get(2), "node-1"), "written before");
          put(keys.signingLock(joined.txId(), "node-3"), txid(joined));
        });

    List<RoundTwoRecords.Read> reads = readAndClaim(node1, payments);
    List<Optional<ProtocolException>> results = node1.recordAll(recordings(reads, sessions));

    assertThat(results.get(0))
        .hasValueSatisfying(
            e -> assertThat(e.code()).isEqualTo(ProtocolErrors.CONFLICTING_TRANSACTION));
    assertThat(results.get(1))
        .hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(ProtocolErrors.SESSION_ABORTED));
    assertThat(results.get(2))
        .hasValueSatisfying(
            e -> assertThat(e.code()).isEqualTo(ProtocolErrors.SHARE_ALREADY_RECORDED));
    assertThat(results.get(3)).isEmpty();
    // the read, the batch's write, the fourth's write alone on what its Else read
    assertThat(kv.requests()).isEqualTo(3);
    assertThat(node1.shareWrites()).isEqualTo(4);
    assertThat(node1.shareWritesAgain())
        .as("the fourth's, after a lock of its txid appeared")
        .isOne();
    for (Payment refused : List.of(conflict, aborted, recorded)) {
      assertThat(value(keys.signingLock(refused.txId(), "node-1"))).isEmpty();
    }
    assertThat(value(keys.signingShare(conflict.txId(), sessions.get(0), "node-1"))).isEmpty();
    assertThat(value(keys.signingShare(aborted.txId(), sessions.get(1), "node-1"))).isEmpty();
    assertThat(value(keys.signingShare(recorded.txId(), sessions.get(2), "node-1")))
        .contains("written before");
    assertThat(value(keys.signingLock(joined.txId(), "node-1"))).contains(txid(joined));
    assertThat(value(keys.signingShare(joined.txId(), sessions.get(3), "node-1"))).isPresent();
  }

  @Test
  void aBatchWriteEtcdDoesNotAnswerRefusesEveryPaymentAsUnavailable() {
    Payment p = approvedPayment();
    Payment q = approvedPayment();
    EtcdRoundTwo node1 = roundTwo(client.getKVClient(), "node-1");
    List<RoundTwoRecords.Read> reads = readAndClaim(node1, List.of(p, q));
    try (Client dead = Client.builder().endpoints("http://127.0.0.1:1").build()) {
      EtcdRoundTwo cut =
          new EtcdRoundTwo(
              dead.getKVClient(),
              keys,
              Duration.ofMillis(300),
              quorumOfFour(),
              cluster.pki.identity("node-1"));
      List<RoundTwoRecords.Read> cutReads = new ArrayList<>();
      assertRefused(
          () ->
              cutReads.addAll(
                  cut.readAll(
                      "node-1",
                      List.of(new RoundTwoRecords.Reading(p.txId(), SigningCluster.NODES)))),
          ProtocolErrors.ETCD_UNAVAILABLE,
          "etcd");
      assertThat(cutReads).isEmpty();
    }
    // reads made on another client record through their own
    assertThat(node1.recordAll(recordings(reads, List.of(UUID.randomUUID(), UUID.randomUUID()))))
        .containsOnly(Optional.empty());
  }

  @Test
  void twoTransactionsOfferedConcurrentlyLockOneOfThemAtMostWhetherByTheMergedWriteOrTheLock()
      throws Exception {
    List<String> wallet = SigningCluster.NODES;
    String x = "aa".repeat(32);
    String y = "bb".repeat(32);
    ExecutorService pool = Executors.newFixedThreadPool(wallet.size());
    try {
      for (int round = 0; round < 20; round++) {
        UUID txId = UUID.randomUUID();
        UUID session = UUID.randomUUID();
        CyclicBarrier together = new CyclicBarrier(wallet.size());
        Map<String, String> offered = new TreeMap<>();
        Map<String, Future<Boolean>> locked = new TreeMap<>();
        for (int i = 0; i < wallet.size(); i++) {
          String node = wallet.get(i);
          String txid = (i + round) % 2 == 0 ? x : y;
          offered.put(node, txid);
          // node-5 uses the lock alone, as a node not yet on the merged write would
          boolean alone = node.equals("node-5");
          EtcdRoundTwo merged = roundTwo(client.getKVClient(), node);
          EtcdSigningLock lock = new EtcdSigningLock(client.getKVClient(), keys, TIMEOUT);
          locked.put(
              node,
              pool.submit(
                  () -> {
                    together.await(10, TimeUnit.SECONDS);
                    try {
                      if (alone) {
                        lock.claim(txId, txid, node, wallet);
                      } else {
                        RoundTwoRecords.Read read = merged.read(txId, node, wallet);
                        read.claim(txid);
                        read.record(0, new SignShareResponse(session, node, List.of("00")));
                      }
                      return true;
                    } catch (ProtocolException e) {
                      assertThat(e.code()).isEqualTo(ProtocolErrors.CONFLICTING_TRANSACTION);
                      return false;
                    }
                  }));
        }
        Set<String> winners = new TreeSet<>();
        for (var claim : locked.entrySet()) {
          if (claim.getValue().get(20, TimeUnit.SECONDS)) {
            winners.add(offered.get(claim.getKey()));
          }
        }
        Map<String, String> stored = new TreeMap<>();
        for (String node : wallet) {
          value(keys.signingLock(txId, node)).ifPresent(v -> stored.put(node, v));
        }
        assertThat(new TreeSet<>(stored.values())).as("txids locked").hasSize(1);
        assertThat(winners).isEqualTo(new TreeSet<>(stored.values()));
        String chosen = winners.iterator().next();
        for (String node : wallet) {
          assertThat(stored.containsKey(node)).isEqualTo(offered.get(node).equals(chosen));
          // a share record exists exactly where the merged write won
          if (!node.equals("node-5")) {
            assertThat(value(keys.signingShare(txId, session, node)).isPresent())
                .isEqualTo(offered.get(node).equals(chosen));
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void approvalsOfClusterNodesOutsideAReducedWalletCountTowardsTheQuorum() {
    // approved by node-1, node-2, node-3 and node-5; a wallet reshared to node-1, node-2 and node-4
    // holds only two of those approvals among its participants
    Payment p = approvedPayment();
    List<String> reduced = List.of("node-1", "node-2", "node-4");

    RoundTwoRecords.Read participantsOnly =
        roundTwo(kv, "node-1").read(p.txId(), "node-1", reduced);
    assertRefused(
        () -> participantsOnly.requireApproved(cluster.walletId, recipient, 42_000),
        ProtocolErrors.NOT_APPROVED,
        "2 valid approvals");

    EtcdRoundTwo clusterWide =
        new EtcdRoundTwo(
            kv,
            keys,
            TIMEOUT,
            quorumOfFour(),
            cluster.pki.identity("node-1"),
            () -> List.of("node-1", "node-2", "node-3", "node-4", "node-5", "not a node id"));
    clusterWide
        .read(p.txId(), "node-1", reduced)
        .requireApproved(cluster.walletId, recipient, 42_000);
  }
}
