package io.mpcw.node.compromised;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.tx.Txid;
import io.mpcw.crypto.util.Hex;
import io.mpcw.node.TestNode;
import io.mpcw.node.identity.TestPki;
import io.mpcw.node.journal.JournalSigningRecord;
import io.mpcw.node.quic.NodeQuicServer;
import io.mpcw.node.registry.FakeRegistry;
import io.mpcw.node.registry.PeerCertificates;
import io.mpcw.node.vote.VoteErrors;
import io.mpcw.node.vote.VoteSigner;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.dkg.DkgPart1Request;
import io.mpcw.protocol.dkg.DkgPart1Response;
import io.mpcw.protocol.dkg.DkgPart2Request;
import io.mpcw.protocol.dkg.DkgPart2Response;
import io.mpcw.protocol.dkg.DkgPart3Request;
import io.mpcw.protocol.dkg.DkgPart3Response;
import io.mpcw.protocol.dkg.DkgParticipant;
import io.mpcw.protocol.dkg.SignedEcho;
import io.mpcw.protocol.share.MemoryShareStore;
import io.mpcw.protocol.signing.Prevout;
import io.mpcw.protocol.signing.SignCommitRequest;
import io.mpcw.protocol.signing.SignCommitResponse;
import io.mpcw.protocol.signing.SignShareRequest;
import io.mpcw.protocol.signing.SignShareResponse;
import io.mpcw.protocol.signing.SignedTransaction;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.pki.RecordSignatures;
import io.mpcw.transport.quic.QuicTransportClient;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.Decision;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VotePayload;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The attacker holds everything the orchestrator holds: its certificate and key (so the node serves
 * it votes, DKG and signing over QUIC + mTLS), full access to etcd (as etcd's root, beyond its own
 * role), and the registry listing it as a node. It tries to get a signature share out of a real
 * node (node-3: Spring context, encrypted share store, its durable journal, real etcd) for
 * something t honest nodes did not approve, or a second transaction for one approved payment. Every
 * attempt is refused, and the node's replies, metrics and records show that no share left it.
 *
 * <p>Wallet: 2-of-3 by DKG between node-3 and two in-process participants (node-1, node-2), whose
 * honest approvals are signed with their own keys. node-3 requires 3 approvals and approves at most
 * 1,000,000 sats per wallet and day.
 */
class CompromisedOrchestratorTest {

  private static final TestPki PKI = TestPki.inTemporaryDirectory();
  private static final FakeRegistry REGISTRY = FakeRegistry.start(0, PKI.ca());
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static final List<String> PARTICIPANTS = List.of("node-1", "node-2", "node-3");
  private static final Duration DEADLINE = Duration.ofSeconds(15);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long DAILY_LIMIT = 1_000_000;
  private static final long AMOUNT = 30_000;

  private static Map<String, String> properties;
  private static ConfigurableApplicationContext node;
  private static QuicTransportClient orchestrator;
  private static Client etcd;
  private static EtcdVoteLedger ledger;
  private static EtcdKeys keys;
  private static UUID walletId;
  private static byte[] walletScript;
  private static final MemoryShareStore node1Shares = new MemoryShareStore();

  @BeforeAll
  static void startNodeAndMakeWallet() throws Exception {
    REGISTRY.register("node-1", PKI.credentials("node-1").certificate());
    REGISTRY.register("node-2", PKI.credentials("node-2").certificate());
    // the registry lists the orchestrator as if it were a node (as it did before it refused
    // service identities, or as a compromised registry would): the node must not believe it
    REGISTRY.register("orchestrator", PKI.credentials("orchestrator").certificate());
    Path shares = Files.createDirectories(PKI.dir().resolve("shares"));
    properties =
        new HashMap<>(TestNode.baseProperties("node-3", PKI, ETCD, REGISTRY.url(), shares));
    properties.put("mpcw.node.shares.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    properties.put("mpcw.node.signing.min-approvals", "3");
    properties.put("mpcw.node.policy.daily-limit-sats", Long.toString(DAILY_LIMIT));
    startNode();
    orchestrator =
        new QuicTransportClient(
            PKI.credentials("orchestrator"),
            PKI.ca(),
            TransportSettings.defaults(),
            new SimpleMeterRegistry(),
            Clock.systemUTC());
    // etcd's root: more than the orchestrator's own etcd role, which cannot write a node's keys
    // at all (EtcdAccessTest); the node must hold even against that
    etcd = ETCD.client("root");
    keys = new EtcdKeys(ETCD.keyPrefix());
    ledger =
        new EtcdVoteLedger(etcd.getKVClient(), keys, Duration.ofSeconds(2), Duration.ofSeconds(5));
    runDkg();
  }

  @AfterAll
  static void stop() {
    orchestrator.close();
    etcd.close();
    node.close();
    REGISTRY.close();
    PKI.delete();
  }

  // --- H1: a service identity is not a voter, nor a DKG participant ----------------------------

  @Test
  void aSelfSignedApprovalUnderTheOrchestratorsIdentityDoesNotCountTowardTheQuorum() {
    Payment payment = new Payment(UUID.randomUUID());
    approveAs(payment, "node-1", "node-2");
    // the orchestrator's own certificate is of the cluster CA, and its CN is its "node id"
    forgeApprovalAs(payment, "orchestrator");
    double sharesBefore = sharesReleased();

    String refused = shareRefusal(payment.request(payment.tx, commit(payment)));

    assertThat(refused).isEqualTo(ProtocolErrors.NOT_APPROVED);
    assertThat(sharesReleased()).isEqualTo(sharesBefore);
    assertThat(refusals(ProtocolErrors.NOT_APPROVED)).isPositive();
    assertThat(signedRecord(payment.txId)).isEmpty();
  }

  @Test
  void aDkgThatNamesTheOrchestratorAsAParticipantIsRefused() {
    DkgPart1Request start =
        new DkgPart1Request(UUID.randomUUID(), List.of("node-3", "orchestrator"), 2);

    String refused = refusal(DkgPart1Request.TYPE, start);

    assertThat(refused).isEqualTo(ProtocolErrors.MALFORMED_REQUEST);
  }

  // --- H2: one approved payment, one transaction, whatever etcd says ---------------------------

  @Test
  void aDeletedSigningLockGetsNoSecondTransactionSignedNotEvenAfterARestart() throws Exception {
    Payment payment = new Payment(UUID.randomUUID());
    approveAs(payment, "node-1", "node-2");
    assertThat(voteOnNode3(payment.vote()).outcome()).isEqualTo("counted");
    SignShareResponse first = call(payment.request(payment.tx, commit(payment)));
    assertThat(first.shares()).hasSize(1);
    String firstTxid = payment.tx.txid().toDisplayHex();
    assertThat(signedRecord(payment.txId)).contains(firstTxid);
    // the same recipient and amount, other coins: the recipient would be paid twice
    Transaction second = payment.otherTransaction();
    double sharesBefore = sharesReleased();

    deleteSigningLock(payment.txId);
    String refused = shareRefusal(payment.request(second, commit(payment)));

    assertThat(refused).isEqualTo(ProtocolErrors.CONFLICTING_TRANSACTION);
    assertThat(sharesReleased()).isEqualTo(sharesBefore);
    assertThat(signedRecord(payment.txId)).contains(firstTxid);
    assertThat(signingLock(payment.txId)).isEmpty();

    node.close();
    startNode();
    deleteSigningLock(payment.txId);
    assertThat(shareRefusal(payment.request(second, commit(payment))))
        .isEqualTo(ProtocolErrors.CONFLICTING_TRANSACTION);
    assertThat(sharesReleased()).isZero(); // a fresh context: nothing released since the restart
    assertThat(signedRecord(payment.txId)).contains(firstTxid);
    // the first transaction itself is still served (a retry with fresh nonces, same sighash)
    assertThat(call(payment.request(payment.tx, commit(payment))).shares()).hasSize(1);
  }

  // --- H3: a signed approval leaves the node only through etcd, and always counts ----------------

  @Test
  void anApprovalAskedForAfterTheDecisionIsNeitherReturnedNorForgottenByTheDailyLimit()
      throws Exception {
    UUID wallet = UUID.randomUUID();
    VoteRequest harvested = vote(wallet, 600_000);
    // the orchestrator writes the decision first: the node's vote can no longer be recorded
    ledger.decide(harvested.txId(), "approved");

    double lateBefore = lateVotes();

    String refused = voteRefusal(harvested);

    assertThat(refused).isEqualTo(VoteErrors.VOTING_CLOSED);
    assertThat(ledger.snapshot(harvested.txId(), PARTICIPANTS).votes()).isEmpty();
    assertThat(lateVotes()).isEqualTo(lateBefore + 1);
    // the approval the node signed counts: 600,000 + 600,000 is above the 1,000,000 daily limit
    VoteResponse next = voteOnNode3(vote(wallet, 600_000));
    assertThat(next.vote().decision()).isEqualTo(Decision.REJECT);
    assertThat(next.vote().reason()).contains("daily limit");

    node.close();
    startNode();
    VoteResponse afterRestart = voteOnNode3(vote(wallet, 600_000));
    assertThat(afterRestart.vote().decision()).isEqualTo(Decision.REJECT);
    assertThat(afterRestart.vote().reason()).contains("daily limit");
  }

  // --- what the node always checked: the transaction is exactly the approved payment -----------

  @Test
  void aTransactionPayingAnotherAmountIsRefused() {
    Payment payment = approvedPayment();
    Transaction altered =
        payment.build(payment.input, AMOUNT + 1_000, payment.recipientScript, 68_000, walletScript);

    assertRefusedWithoutShares(payment, altered, payment.prevout, ProtocolErrors.PAYMENT_MISMATCH);
  }

  @Test
  void aTransactionPayingAnotherRecipientIsRefused() {
    Payment payment = approvedPayment();
    byte[] attacker =
        SegwitAddress.forTaprootOutputKey(Network.REGTEST, Point.G.add(Point.G).encodeXOnly())
            .scriptPubKey();
    Transaction altered = payment.build(payment.input, AMOUNT, attacker, 69_000, walletScript);

    assertRefusedWithoutShares(payment, altered, payment.prevout, ProtocolErrors.PAYMENT_MISMATCH);
  }

  @Test
  void aFeeAboveTheNodesLimitIsRefused() {
    Payment payment = approvedPayment();
    // 100,000 in, 30,000 out, no change: a 70,000 fee would pass 100,000 on a larger coin
    TxOut big = new TxOut(1_000_000, walletScript);
    Transaction greedy =
        payment.build(payment.input, AMOUNT, payment.recipientScript, 800_000, walletScript);

    assertRefusedWithoutShares(payment, greedy, big, ProtocolErrors.FEE_TOO_HIGH);
  }

  @Test
  void changeToAForeignScriptIsRefused() {
    Payment payment = approvedPayment();
    byte[] foreign =
        SegwitAddress.forTaprootOutputKey(Network.REGTEST, Point.G.add(Point.G).encodeXOnly())
            .scriptPubKey();
    Transaction altered =
        payment.build(payment.input, AMOUNT, payment.recipientScript, 69_000, foreign);

    assertRefusedWithoutShares(payment, altered, payment.prevout, ProtocolErrors.PAYMENT_MISMATCH);
  }

  @Test
  void inputsOfAnotherWalletAreRefused() {
    Payment payment = approvedPayment();
    byte[] otherWallet =
        SegwitAddress.forTaprootOutputKey(Network.REGTEST, Point.G.add(Point.G).encodeXOnly())
            .scriptPubKey();

    assertRefusedWithoutShares(
        payment, payment.tx, new TxOut(100_000, otherWallet), ProtocolErrors.PAYMENT_MISMATCH);
  }

  // ---------------------------------------------------------------------------------------------

  private static Payment approvedPayment() {
    Payment payment = new Payment(UUID.randomUUID());
    approveAs(payment, "node-1", "node-2");
    VoteResponse node3 = voteOnNode3(payment.vote());
    assertThat(node3.outcome()).isEqualTo("counted");
    assertThat(node3.vote().decision()).isEqualTo(Decision.APPROVE);
    return payment;
  }

  private static void assertRefusedWithoutShares(
      Payment payment, Transaction tx, TxOut spent, String code) {
    double sharesBefore = sharesReleased();
    double refusedBefore = refusals(code);

    String refused = shareRefusal(payment.request(tx, spent, commit(payment)));

    assertThat(refused).isEqualTo(code);
    assertThat(sharesReleased()).isEqualTo(sharesBefore);
    assertThat(refusals(code)).isEqualTo(refusedBefore + 1);
    assertThat(signingLock(payment.txId)).isEmpty();
    assertThat(signedRecord(payment.txId)).isEmpty();
  }

  private static void startNode() throws InterruptedException {
    node = TestNode.start(properties);
    PeerCertificates peers = node.getBean(PeerCertificates.class);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while ((peers.apply("node-1").isEmpty() || peers.apply("node-2").isEmpty())
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static byte[] send(String type, byte[] payload) {
    return orchestrator
        .request(
            node.getBean(NodeQuicServer.class).endpoint().orElseThrow(), type, payload, DEADLINE)
        .join()
        .getPayload()
        .toByteArray();
  }

  private static <T> T call(String type, Object request, Class<T> replyType) {
    return ProtocolMessages.decode(send(type, ProtocolMessages.encode(request)), replyType);
  }

  private static SignShareResponse call(SignShareRequest request) {
    return call(SignShareRequest.TYPE, request, SignShareResponse.class);
  }

  private static String refusal(String type, Object request) {
    return remoteCode(() -> send(type, ProtocolMessages.encode(request)));
  }

  private static String shareRefusal(SignShareRequest request) {
    return refusal(SignShareRequest.TYPE, request);
  }

  private static String voteRefusal(VoteRequest request) {
    return remoteCode(() -> send(VoteRequest.TYPE, VoteMessages.encode(request)));
  }

  private static String remoteCode(Runnable call) {
    try {
      call.run();
      throw new AssertionError("expected a refusal, the node answered");
    } catch (CompletionException e) {
      return ((TransportException) e.getCause()).remoteCode().orElseThrow();
    }
  }

  private static VoteResponse voteOnNode3(VoteRequest request) {
    return VoteMessages.decode(
        send(VoteRequest.TYPE, VoteMessages.encode(request)), VoteResponse.class);
  }

  private static VoteRequest vote(UUID wallet, long amount) {
    return new VoteRequest(UUID.randomUUID(), wallet, recipient().toString(), amount, null);
  }

  private static SignCommitResponse commit(Payment payment) {
    return call(
        SignCommitRequest.TYPE,
        new SignCommitRequest(UUID.randomUUID(), payment.txId, walletId, 1),
        SignCommitResponse.class);
  }

  /** Honest approvals of node-1 and node-2, signed with their own keys. */
  private static void approveAs(Payment payment, String... nodes) {
    VotePayload voted = payment.payload();
    for (String id : nodes) {
      ledger.cast(
          new VoteSigner(PKI.node(id))
              .sign(
                  VoteRecord.unsigned(
                      payment.txId,
                      id,
                      Decision.APPROVE,
                      "within policy",
                      voted.digest(Decision.APPROVE),
                      Instant.now().truncatedTo(ChronoUnit.MILLIS))));
    }
  }

  /** An approval under {@code identity}'s vote key, signed with that identity's own key. */
  private static void forgeApprovalAs(Payment payment, String identity) {
    VoteRecord unsigned =
        VoteRecord.unsigned(
            payment.txId,
            identity,
            Decision.APPROVE,
            "within policy",
            payment.payload().digest(Decision.APPROVE),
            Instant.now().truncatedTo(ChronoUnit.MILLIS));
    ledger.cast(
        unsigned.withSignature(
            RecordSignatures.sign(PKI.credentials(identity), unsigned.signingPayload())));
  }

  /** Every participant's lock, as an identity with delete rights on all of etcd could. */
  private static void deleteSigningLock(UUID txId) throws Exception {
    for (String node : PARTICIPANTS) {
      etcd.getKVClient()
          .delete(ByteSequence.from(keys.signingLock(txId, node), StandardCharsets.UTF_8))
          .get(5, TimeUnit.SECONDS);
    }
    assertThat(signingLock(txId)).isEmpty();
  }

  private static Optional<String> signingLock(UUID txId) {
    try {
      var kvs =
          etcd.getKVClient()
              .get(ByteSequence.from(keys.signingLock(txId, "node-3"), StandardCharsets.UTF_8))
              .get(5, TimeUnit.SECONDS)
              .getKvs();
      return kvs.isEmpty()
          ? Optional.empty()
          : Optional.of(kvs.get(0).getValue().toString(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new AssertionError("etcd read failed", e);
    }
  }

  /** The txid node-3's own journal says it signed for the payment. */
  private static Optional<String> signedRecord(UUID txId) {
    return node.getBean(JournalSigningRecord.class).find(txId).map(SignedTransaction::txid);
  }

  /** Round-2 replies node-3 sent with shares since its context started. */
  private static double sharesReleased() {
    Counter ok =
        node.getBean(MeterRegistry.class)
            .find("node.signing.requests")
            .tags("round", "share", "outcome", "ok")
            .counter();
    return ok == null ? 0 : ok.count();
  }

  private static double lateVotes() {
    Counter late =
        node.getBean(MeterRegistry.class)
            .find("node.votes.refused")
            .tag("reason", "late")
            .counter();
    return late == null ? 0 : late.count();
  }

  private static double refusals(String code) {
    Counter refused =
        node.getBean(MeterRegistry.class)
            .find("node.signing.refusals")
            .tag("reason", code.toLowerCase())
            .counter();
    return refused == null ? 0 : refused.count();
  }

  private static SegwitAddress recipient() {
    return SegwitAddress.forTaprootOutputKey(Network.REGTEST, Point.G.encodeXOnly());
  }

  /** The orchestrator's part of a 2-of-3 DKG, relaying honestly. */
  private static void runDkg() {
    walletId = UUID.randomUUID();
    DkgPart1Request start = new DkgPart1Request(walletId, PARTICIPANTS, 2);
    Map<String, DkgParticipant> local =
        Map.of(
            "node-1", participant("node-1", node1Shares),
            "node-2", participant("node-2", new MemoryShareStore()));
    Map<String, String> round1 = new HashMap<>();
    for (String id : PARTICIPANTS) {
      DkgPart1Response response =
          id.equals("node-3")
              ? call(DkgPart1Request.TYPE, start, DkgPart1Response.class)
              : local.get(id).part1(start);
      round1.put(id, response.round1Package());
    }
    DkgPart2Request part2 = new DkgPart2Request(walletId, round1);
    Map<String, DkgPart2Response> round2 = new HashMap<>();
    for (String id : PARTICIPANTS) {
      round2.put(
          id,
          id.equals("node-3")
              ? call(DkgPart2Request.TYPE, part2, DkgPart2Response.class)
              : local.get(id).part2(part2));
    }
    Map<String, SignedEcho> echoes = new HashMap<>();
    round2.forEach((id, r) -> echoes.put(id, new SignedEcho(r.echo(), r.echoSignature())));
    Map<String, DkgPart3Response> results = new LinkedHashMap<>();
    for (String id : PARTICIPANTS) {
      Map<String, String> sealed = new HashMap<>();
      round2.forEach(
          (sender, r) -> {
            if (!sender.equals(id)) {
              sealed.put(sender, r.sealedShares().get(id));
            }
          });
      DkgPart3Request part3 = new DkgPart3Request(walletId, echoes, sealed);
      results.put(
          id,
          id.equals("node-3")
              ? call(DkgPart3Request.TYPE, part3, DkgPart3Response.class)
              : local.get(id).part3(part3));
    }
    DkgPart3Response node3 = results.get("node-3");
    walletScript =
        SegwitAddress.forTaprootOutputKey(Network.REGTEST, Hex.decode(node3.outputKey()))
            .scriptPubKey();
  }

  private static DkgParticipant participant(String id, MemoryShareStore store) {
    return new DkgParticipant(
        id,
        PKI.credentials(id),
        node -> Optional.of(PKI.credentials(node).certificate()),
        store,
        RANDOM,
        Clock.systemUTC(),
        Duration.ofMinutes(2));
  }

  /**
   * One payment of 30,000 sats from the wallet: one 100,000 sats coin, 69,000 change, fee 1,000.
   */
  private static final class Payment {
    final UUID txId;
    final String recipient = recipient().toString();
    final byte[] recipientScript = recipient().scriptPubKey();
    final OutPoint input = randomOutPoint();
    final TxOut prevout = new TxOut(100_000, walletScript);
    final Transaction tx;

    Payment(UUID txId) {
      this.txId = txId;
      this.tx = build(input, AMOUNT, recipientScript, 69_000, walletScript);
    }

    VotePayload payload() {
      return new VotePayload(txId, walletId, recipient, AMOUNT);
    }

    VoteRequest vote() {
      return new VoteRequest(txId, walletId, recipient, AMOUNT, null);
    }

    /** The same payment, spending another coin of the wallet. */
    Transaction otherTransaction() {
      return build(randomOutPoint(), AMOUNT, recipientScript, 69_000, walletScript);
    }

    Transaction build(OutPoint in, long amount, byte[] to, long change, byte[] changeScript) {
      return Transaction.builder()
          .version(2)
          .addInput(in)
          .addOutput(amount, to)
          .addOutput(change, changeScript)
          .build();
    }

    SignShareRequest request(Transaction unsigned, SignCommitResponse node3) {
      return request(unsigned, prevout, node3);
    }

    /** Round 2 with node-1 (in process) as the other signer. */
    SignShareRequest request(Transaction unsigned, TxOut spent, SignCommitResponse node3) {
      SigningCommitments node1 =
          Frost.taproot()
              .commit(node1Shares.find(walletId).orElseThrow().keyPackage(), RANDOM)
              .commitments();
      return new SignShareRequest(
          node3.sessionId(),
          txId,
          walletId,
          recipient,
          AMOUNT,
          unsigned.toHex(),
          List.of(new Prevout(spent.valueSats(), Hex.encode(spent.scriptPubKey()))),
          Map.of(
              "node-1", List.of(Hex.encode(node1.encode())),
              "node-3", node3.commitments()));
    }

    private static OutPoint randomOutPoint() {
      byte[] prevTxid = new byte[32];
      RANDOM.nextBytes(prevTxid);
      return new OutPoint(Txid.fromInternalBytes(prevTxid), 0);
    }
  }
}
