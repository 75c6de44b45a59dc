package io.mpcw.protocol.signing;

import static io.mpcw.protocol.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.signing.SigningCluster.Payment;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.transport.pki.RecordSignatures;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.CastResult;
import io.mpcw.votes.Decision;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VotePayload;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.retention.EtcdRecordPruner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What is left of the one-transaction guarantee once every node has pruned its own etcd records of
 * a signed payment (votes, locks, share records), each with its own credentials: a replayed round 2
 * finds no quorum and is refused; and should the payment be approved anew, a node that signed it
 * signs the same transaction only, bound by its own signing record (the node's journal), not by the
 * lock etcd no longer holds.
 */
class SigningAfterPruningTest {
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static final List<String> SIGNERS = List.of("node-2", "node-3", "node-4");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static Client root;
  private static EtcdKeys keys;
  private static EtcdVoteLedger ledger;
  private static SigningCluster cluster;

  @BeforeAll
  static void connect() {
    keys = ETCD.keys();
    root = ETCD.client("root");
    ledger = new EtcdVoteLedger(root.getKVClient(), keys, TIMEOUT, Duration.ofSeconds(30));
    cluster = new SigningCluster();
  }

  @AfterAll
  static void close() {
    root.close();
  }

  private static Map<String, SigningParticipant> participants() {
    EtcdSigningSessions sessions = new EtcdSigningSessions(root.getKVClient(), keys, TIMEOUT);
    return cluster.participants(
        new EtcdApprovalCheck(ledger, 4, cluster.pki::certificate, cluster.pki.ca()),
        new EtcdSigningLock(root.getKVClient(), keys, TIMEOUT),
        node -> sessions.recorder(cluster.pki.identity(node)),
        new SpendLimits(10_000),
        Clock.systemUTC());
  }

  private static void approveByFour(Payment p) {
    VotePayload payload = new VotePayload(p.txId(), cluster.walletId, p.recipient(), 42_000);
    for (String node : List.of("node-1", "node-2", "node-3", "node-4")) {
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
  }

  /** Signs {@code p} by the three signers, as the coordinator would. */
  private static void sign(Map<String, SigningParticipant> nodes, Payment p) {
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    List<SignShareResponse> responses = new ArrayList<>();
    for (String node : SIGNERS) {
      responses.add(nodes.get(node).share(request));
    }
    assertThat(cluster.aggregate(request, p, responses)).hasSize(p.tx().inputs().size());
  }

  /** Every node deletes all of its own records, connected as itself. */
  private static void everyNodePrunesItsRecords() throws Exception {
    long now =
        root.getKVClient()
            .get(bytes(keys.all()))
            .get(10, TimeUnit.SECONDS)
            .getHeader()
            .getRevision();
    for (String node : SigningCluster.NODES) {
      try (Client own = ETCD.client(node)) {
        EtcdRecordPruner pruner = new EtcdRecordPruner(own.getKVClient(), TIMEOUT);
        pruner.prune(keys.nodeVotes(node), now);
        pruner.prune(keys.nodeLocks(node), now);
        pruner.prune(keys.nodeShares(node), now);
      }
    }
  }

  private static boolean exists(String key) throws Exception {
    return root.getKVClient().get(bytes(key)).get(10, TimeUnit.SECONDS).getCount() == 1;
  }

  @Test
  void aReplayedRoundTwoOfASignedPaymentWhoseRecordsWerePrunedIsRefused() throws Exception {
    Map<String, SigningParticipant> nodes = participants();
    Payment p = cluster.payment(2, SigningCluster.randomRecipient(), 42_000, 1_000);
    approveByFour(p);
    sign(nodes, p);

    everyNodePrunesItsRecords();

    for (String node : SIGNERS) {
      assertThat(exists(keys.signingLock(p.txId(), node))).isFalse();
      assertThat(exists(keys.vote(p.txId(), node))).isFalse();
    }
    SignShareRequest replay = cluster.roundOne(nodes, SIGNERS, p);
    for (String node : SIGNERS) {
      assertRefused(
          () -> nodes.get(node).share(replay),
          ProtocolErrors.NOT_APPROVED,
          "0 valid approvals for this payment, 4 required");
    }
  }

  @Test
  void approvedAgainAfterPruningANodeThatSignedSignsOnlyTheSameTransaction() throws Exception {
    Map<String, SigningParticipant> nodes = participants();
    String recipient = SigningCluster.randomRecipient();
    Payment p = cluster.payment(2, recipient, 42_000, 1_000);
    approveByFour(p);
    sign(nodes, p);
    everyNodePrunesItsRecords();
    assertThat(exists(keys.signingLock(p.txId(), "node-3"))).isFalse();

    // approvals for the same payment id recorded anew (as a fresh vote round would)
    approveByFour(p);

    // another transaction for it: refused by the node's own record, etcd's lock being gone
    Payment other = p.withTx(cluster.payment(2, recipient, 42_000, 2_000).tx(), p.prevouts());
    SignShareRequest conflicting = cluster.roundOne(nodes, SIGNERS, other);
    assertRefused(
        () -> nodes.get("node-3").share(conflicting),
        ProtocolErrors.CONFLICTING_TRANSACTION,
        "this node signed payment " + p.txId());
    // the same transaction again (fresh nonces) is all it still signs
    SignShareRequest same = cluster.roundOne(nodes, SIGNERS, p);
    assertThatCode(() -> nodes.get("node-2").share(same)).doesNotThrowAnyException();
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
