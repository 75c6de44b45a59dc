package io.mpcw.protocol.signing;

import static io.mpcw.protocol.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.dkg.MutableClock;
import io.mpcw.protocol.signing.SigningCluster.Payment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signing with commitments made ahead of time ({@code sign.precommit.v1}, {@code sign.share.v2}):
 * one round trip per session, every nonce used at most once, erased on refusal, bounded in memory.
 */
class PooledSigningTest {
  private static final List<String> SIGNERS = List.of("node-1", "node-3", "node-5");
  private static final int BOUND = 4;
  private static SigningCluster cluster;

  private final Map<UUID, String> locked = new ConcurrentHashMap<>();
  private final SigningLock lock =
      (txId, txid, node, participants) -> {
        if (!locked.computeIfAbsent(txId, k -> txid).equals(txid)) {
          throw new ProtocolException(ProtocolErrors.CONFLICTING_TRANSACTION, "other tx");
        }
      };
  private final Map<String, SignShareResponse> recorded = new ConcurrentHashMap<>();
  private final ShareRecorder recorder =
      (txId, epoch, shares) -> {
        if (recorded.putIfAbsent(shares.sessionId() + "/" + shares.nodeId(), shares) != null) {
          throw new ProtocolException(ProtocolErrors.SHARE_ALREADY_RECORDED, "recorded");
        }
      };
  private volatile boolean approved = true;
  private final ApprovalCheck approvals =
      (txId, walletId, recipient, amount, voters) -> {
        if (!approved) {
          throw new ProtocolException(ProtocolErrors.NOT_APPROVED, "not approved");
        }
      };
  private final MutableClock clock = new MutableClock();
  private Map<String, SigningParticipant> nodes;
  private final String recipient = SigningCluster.randomRecipient();

  @BeforeAll
  static void wallet() {
    cluster = new SigningCluster();
  }

  @BeforeEach
  void signers() {
    nodes = participants();
  }

  @AfterEach
  void node1RecordBack() {
    if (node1Record != null) {
      cluster.signed.put("node-1", node1Record);
    }
  }

  private Map<String, SigningParticipant> participants() {
    return cluster.participants(
        approvals, lock, node -> recorder, new SpendLimits(10_000), clock, BOUND);
  }

  private List<PooledCommitment> precommit(String node, int count) {
    SignPrecommitResponse reply =
        nodes.get(node).precommit(new SignPrecommitRequest(cluster.walletId, 0, count));
    assertThat(reply.nodeId()).isEqualTo(node);
    assertThat(reply.commitments()).hasSize(count);
    return reply.commitments();
  }

  private Map<String, List<PooledCommitment>> precommitAll(List<String> signers, int count) {
    Map<String, List<PooledCommitment>> out = new HashMap<>();
    signers.forEach(n -> out.put(n, precommit(n, count)));
    return out;
  }

  /** A new session for {@code p} with fresh commitments of every signer for its inputs. */
  private SignPooledShareRequest session(Payment p, int inputs) {
    return cluster.pooledRequest(UUID.randomUUID(), p, precommitAll(SIGNERS, inputs));
  }

  private List<SignShareResponse> roundTwo(SignPooledShareRequest request) {
    List<SignShareResponse> out = new ArrayList<>();
    for (String node : request.commitments().keySet()) {
      out.add(nodes.get(node).sharePooled(request).asShareResponse());
    }
    return out;
  }

  private void assertSigned(Payment p, SignPooledShareRequest request) {
    List<byte[]> signatures = cluster.aggregate(request.asShareRequest(), p, roundTwo(request));
    TaprootSighash sighash = new TaprootSighash(p.tx(), p.prevouts());
    for (int i = 0; i < signatures.size(); i++) {
      assertThat(
              Bip340.verify(
                  sighash.sigHash(i, SighashType.DEFAULT), cluster.outputKey, signatures.get(i)))
          .isTrue();
    }
  }

  @Test
  void preSharedCommitmentsSignInOneRoundAndTheRepliesCarryTheirReplacements() {
    Payment first = cluster.payment(2, recipient, 42_000, 1_000);
    SignPooledShareRequest request = session(first, 2);
    Map<String, List<PooledCommitment>> fresh = new HashMap<>();
    for (String node : SIGNERS) {
      SignPooledShareResponse reply = nodes.get(node).sharePooled(request);
      assertThat(reply.fresh()).hasSize(2);
      fresh.put(node, reply.fresh());
    }
    assertThat(nodes.values()).allSatisfy(n -> assertThat(n.liveSessions()).isZero());

    // the fresh commitments alone sign the next payment: no round 1 at all
    Payment second = cluster.payment(2, recipient, 43_000, 1_000);
    assertSigned(second, cluster.pooledRequest(UUID.randomUUID(), second, fresh));
  }

  private List<SigningParticipant.Outcome> batch(String node, SignPooledShareRequest... sessions) {
    return nodes.get(node).sharePooledAll(new SignPooledShareBatchRequest(List.of(sessions)));
  }

  @Test
  void aBatchSignsEachSessionAsAloneAndEachReplyCarriesItsReplacements() {
    Payment first = cluster.payment(1, recipient, 42_000, 1_000);
    Payment second = cluster.payment(2, recipient, 43_000, 1_000);
    SignPooledShareRequest one = session(first, 1);
    SignPooledShareRequest two = session(second, 2);
    Map<UUID, List<SignShareResponse>> shares = new HashMap<>();
    for (String node : SIGNERS) {
      List<SigningParticipant.Outcome> outcomes = batch(node, one, two);
      assertThat(outcomes)
          .extracting(SigningParticipant.Outcome::sessionId)
          .containsExactly(one.sessionId(), two.sessionId());
      for (SigningParticipant.Outcome outcome : outcomes) {
        assertThat(outcome.refusal()).isNull();
        assertThat(outcome.reply().nodeId()).isEqualTo(node);
        shares
            .computeIfAbsent(outcome.sessionId(), k -> new ArrayList<>())
            .add(outcome.reply().asShareResponse());
      }
      assertThat(outcomes.get(0).reply().fresh()).hasSize(1);
      assertThat(outcomes.get(1).reply().fresh()).hasSize(2);
    }

    TaprootSighash sighash = new TaprootSighash(second.tx(), second.prevouts());
    List<byte[]> signatures =
        cluster.aggregate(two.asShareRequest(), second, shares.get(two.sessionId()));
    for (int i = 0; i < signatures.size(); i++) {
      assertThat(
              Bip340.verify(
                  sighash.sigHash(i, SighashType.DEFAULT), cluster.outputKey, signatures.get(i)))
          .isTrue();
    }
    assertThat(cluster.aggregate(one.asShareRequest(), first, shares.get(one.sessionId())))
        .hasSize(1);
  }

  @Test
  void aSessionRefusedInABatchLeavesTheOthersSignedAndEveryNonceOfTheBatchIsErased() {
    Payment used = cluster.payment(1, recipient, 42_000, 1_000);
    Payment good = cluster.payment(1, recipient, 43_000, 1_000);
    Payment conflicting = cluster.payment(1, recipient, 44_000, 1_000);
    Map<String, List<PooledCommitment>> spent = precommitAll(SIGNERS, 1);
    nodes.get("node-1").sharePooled(cluster.pooledRequest(UUID.randomUUID(), used, spent));
    SignPooledShareRequest again = cluster.pooledRequest(UUID.randomUUID(), used, spent);
    SignPooledShareRequest fine = session(good, 1);
    SignPooledShareRequest other = session(conflicting, 1);
    locked.put(conflicting.txId(), "ee".repeat(32));
    SigningParticipant node1 = nodes.get("node-1");
    // the one the lone round 2 used was replaced by one fresh commitment
    assertThat(node1.pendingCommitments()).isEqualTo(3);

    List<SigningParticipant.Outcome> outcomes = batch("node-1", again, fine, other);

    assertThat(outcomes.get(0).refusal())
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ProtocolErrors.UNKNOWN_SESSION));
    assertThat(outcomes.get(1).reply().shares()).hasSize(1);
    assertThat(outcomes.get(2).refusal())
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ProtocolErrors.CONFLICTING_TRANSACTION));
    assertThat(recorded).containsKey(fine.sessionId() + "/node-1");
    assertThat(recorded).doesNotContainKey(other.sessionId() + "/node-1");
    // the two sessions' commitments are gone, the signed one's replacement is pooled
    assertThat(node1.pendingCommitments()).isEqualTo(2);
    assertRefused(
        () -> node1.sharePooled(other), ProtocolErrors.UNKNOWN_SESSION, "not pending here");
  }

  /** node-1's signing record for one test: counts its writes and can fail them. */
  private final class JournalSpy implements SigningRecord {
    final MemorySigningRecord memory = new MemorySigningRecord();
    final List<Map<UUID, SignedTransaction>> writes = new ArrayList<>();
    final List<Integer> sharesRecordedAtWrite = new ArrayList<>();
    volatile boolean failing;

    @Override
    public java.util.Optional<SignedTransaction> find(UUID txId) {
      return memory.find(txId);
    }

    @Override
    public void record(UUID txId, SignedTransaction signed) {
      recordAll(Map.of(txId, signed)).values().stream()
          .findFirst()
          .ifPresent(
              e -> {
                throw e;
              });
    }

    @Override
    public Map<UUID, ProtocolException> recordAll(Map<UUID, SignedTransaction> signing) {
      writes.add(Map.copyOf(signing));
      sharesRecordedAtWrite.add(recorded.size());
      if (failing) {
        throw new IllegalStateException("disk full");
      }
      return memory.recordAll(signing);
    }
  }

  private SigningRecord node1Record;

  private JournalSpy spyOnNode1() {
    JournalSpy spy = new JournalSpy();
    node1Record = cluster.signed.put("node-1", spy);
    nodes = participants();
    return spy;
  }

  @Test
  void aBatchIsJournaledInOneWriteBeforeAnyShareAndAPaymentSignedOtherwiseIsRefusedAlone() {
    JournalSpy journal = spyOnNode1();
    Payment a = cluster.payment(1, recipient, 42_000, 1_000);
    Payment b = cluster.payment(2, recipient, 43_000, 1_000);
    Payment signedOtherwise = cluster.payment(1, recipient, 44_000, 1_000);
    journal.memory.record(
        signedOtherwise.txId(), new SignedTransaction("ee".repeat(32), List.of("11".repeat(32))));
    SignPooledShareRequest one = session(a, 1);
    SignPooledShareRequest other = session(signedOtherwise, 1);
    SignPooledShareRequest two = session(b, 2);

    List<SigningParticipant.Outcome> outcomes = batch("node-1", one, other, two);

    assertThat(outcomes.get(0).reply().shares()).hasSize(1);
    assertThat(outcomes.get(1).refusal())
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ProtocolErrors.CONFLICTING_TRANSACTION));
    assertThat(outcomes.get(2).reply().shares()).hasSize(2);
    // one write for both payments that passed their checks, before any share was recorded
    assertThat(journal.writes).hasSize(1);
    assertThat(journal.writes.get(0).keySet()).containsExactlyInAnyOrder(a.txId(), b.txId());
    assertThat(journal.sharesRecordedAtWrite).containsExactly(0);
    assertThat(recorded).containsOnlyKeys(one.sessionId() + "/node-1", two.sessionId() + "/node-1");
  }

  @Test
  void aBatchWhoseJournalWriteFailsIsRefusedWholeAndSignsNothing() {
    JournalSpy journal = spyOnNode1();
    journal.failing = true;
    Payment a = cluster.payment(1, recipient, 42_000, 1_000);
    Payment b = cluster.payment(1, recipient, 43_000, 1_000);
    SignPooledShareRequest one = session(a, 1);
    SignPooledShareRequest two = session(b, 1);
    int pooledBefore = nodes.get("node-1").pendingCommitments();

    List<SigningParticipant.Outcome> outcomes = batch("node-1", one, two);

    assertThat(outcomes)
        .allSatisfy(
            o ->
                assertThat(o.refusal())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("disk full"));
    assertThat(recorded).isEmpty();
    assertThat(journal.memory.find(a.txId())).isEmpty();
    // both sessions' nonces are gone and nothing replaced them
    assertThat(nodes.get("node-1").pendingCommitments()).isEqualTo(pooledBefore - 2);
    journal.failing = false;
    assertRefused(
        () -> nodes.get("node-1").sharePooled(one), ProtocolErrors.UNKNOWN_SESSION, "not pending");
  }

  @Test
  void aBatchNamingAPaymentTwiceOrNoneOrTooManyIsRefusedWhole() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    SignPooledShareRequest a = session(p, 1);
    SignPooledShareRequest b = session(p, 1);
    assertThatThrownBy(() -> new SignPooledShareBatchRequest(List.of(a, b)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("once per payment");
    assertThatThrownBy(() -> new SignPooledShareBatchRequest(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 16 sessions, not 0");
    List<SignPooledShareRequest> many = new ArrayList<>();
    for (int i = 0; i <= SignPooledShareBatchRequest.MAX_SESSIONS; i++) {
      Payment each = cluster.payment(1, recipient, 42_000 + i, 1_000);
      many.add(cluster.pooledRequest(UUID.randomUUID(), each, Map.of()));
    }
    assertThatThrownBy(() -> new SignPooledShareBatchRequest(many))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not 17");
  }

  @Test
  void aCommitmentIdUsedTwiceIsRefusedAsUnknown() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    Map<String, List<PooledCommitment>> commitments = precommitAll(SIGNERS, 1);
    nodes.get("node-1").sharePooled(cluster.pooledRequest(UUID.randomUUID(), p, commitments));

    assertRefused(
        () ->
            nodes
                .get("node-1")
                .sharePooled(cluster.pooledRequest(UUID.randomUUID(), p, commitments)),
        ProtocolErrors.UNKNOWN_SESSION,
        "not pending here");
  }

  @Test
  void aRefusedRoundTwoErasesTheNamedNonces() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    Map<String, List<PooledCommitment>> commitments = precommitAll(SIGNERS, 1);
    SigningParticipant node1 = nodes.get("node-1");
    assertThat(node1.pendingCommitments()).isEqualTo(1);
    approved = false;

    assertRefused(
        () -> node1.sharePooled(cluster.pooledRequest(UUID.randomUUID(), p, commitments)),
        ProtocolErrors.NOT_APPROVED,
        "not approved");

    assertThat(node1.pendingCommitments()).isZero();
    approved = true;
    assertRefused(
        () -> node1.sharePooled(cluster.pooledRequest(UUID.randomUUID(), p, commitments)),
        ProtocolErrors.UNKNOWN_SESSION,
        "");
  }

  @Test
  void oneUnknownIdRefusesTheRequestAndStillErasesTheKnownOnes() {
    Payment p = cluster.payment(2, recipient, 42_000, 1_000);
    Map<String, List<PooledCommitment>> commitments = precommitAll(SIGNERS, 2);
    List<PooledCommitment> mine = new ArrayList<>(commitments.get("node-1"));
    PooledCommitment known = mine.get(0);
    mine.set(1, new PooledCommitment(UUID.randomUUID(), mine.get(1).commitment()));
    commitments.put("node-1", mine);

    assertRefused(
        () ->
            nodes
                .get("node-1")
                .sharePooled(cluster.pooledRequest(UUID.randomUUID(), p, commitments)),
        ProtocolErrors.UNKNOWN_SESSION,
        "");

    // the known one is gone too; the one never named stays pending
    assertThat(nodes.get("node-1").pendingCommitments()).isEqualTo(1);
    commitments.put("node-1", List.of(known, commitments.get("node-1").get(1)));
    assertRefused(
        () ->
            nodes
                .get("node-1")
                .sharePooled(cluster.pooledRequest(UUID.randomUUID(), p, commitments)),
        ProtocolErrors.UNKNOWN_SESSION,
        "");
  }

  @Test
  void aCommitmentOtherThanTheOneMadeUnderTheIdIsRefusedAndItsNoncesErased() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    Map<String, List<PooledCommitment>> commitments = precommitAll(SIGNERS, 1);
    PooledCommitment own = commitments.get("node-1").get(0);
    String other = precommit("node-1", 1).get(0).commitment();
    commitments.put("node-1", List.of(new PooledCommitment(own.id(), other)));

    assertRefused(
        () ->
            nodes
                .get("node-1")
                .sharePooled(cluster.pooledRequest(UUID.randomUUID(), p, commitments)),
        ProtocolErrors.BAD_SIGNING_PACKAGE,
        "not the one this node made");
    // only the commitment made for the swap is left
    assertThat(nodes.get("node-1").pendingCommitments()).isEqualTo(1);
  }

  @Test
  void beyondTheBoundTheOldestCommitmentsAreEvictedAndRefusedAsUnknown() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    List<PooledCommitment> oldest = precommit("node-1", 3);
    List<PooledCommitment> newest = precommit("node-1", 3);

    assertThat(nodes.get("node-1").pendingCommitments()).isEqualTo(BOUND);
    Map<String, List<PooledCommitment>> commitments = precommitAll(List.of("node-3", "node-5"), 1);
    commitments.put("node-1", List.of(oldest.get(0)));
    assertRefused(
        () ->
            nodes
                .get("node-1")
                .sharePooled(cluster.pooledRequest(UUID.randomUUID(), p, commitments)),
        ProtocolErrors.UNKNOWN_SESSION,
        "");
    commitments.put("node-1", List.of(newest.get(2)));
    assertSigned(p, cluster.pooledRequest(UUID.randomUUID(), p, commitments));
  }

  @Test
  void aRestartedNodeHasNoPendingCommitments() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    Map<String, List<PooledCommitment>> commitments = precommitAll(SIGNERS, 1);

    nodes = participants(); // new processes: memory gone, shares kept

    assertThat(nodes.get("node-1").pendingCommitments()).isZero();
    assertRefused(
        () ->
            nodes
                .get("node-1")
                .sharePooled(cluster.pooledRequest(UUID.randomUUID(), p, commitments)),
        ProtocolErrors.UNKNOWN_SESSION,
        "restarted");
  }

  @Test
  void expiredCommitmentsAreErased() {
    precommit("node-1", 2);
    clock.advance(Duration.ofMinutes(11));
    assertThat(nodes.get("node-1").pendingCommitments()).isZero();
  }

  @Test
  void aNodeRefusesToPrecommitForAWalletOrEpochItDoesNotHold() {
    assertRefused(
        () -> nodes.get("node-1").precommit(new SignPrecommitRequest(UUID.randomUUID(), 0, 1)),
        ProtocolErrors.NOT_A_PARTICIPANT,
        "holds no share");
    assertRefused(
        () -> nodes.get("node-1").precommit(new SignPrecommitRequest(cluster.walletId, 7, 1)),
        ProtocolErrors.WRONG_EPOCH,
        "epoch 7");
    assertThat(nodes.get("node-1").pendingCommitments()).isZero();
  }
}
