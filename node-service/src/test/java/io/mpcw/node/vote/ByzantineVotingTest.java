package io.mpcw.node.vote;

import static io.mpcw.node.vote.Payments.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.node.fault.ByzantineMode;
import io.mpcw.node.identity.TestPki;
import io.mpcw.node.quic.ClusterIdentityPolicy;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.memory.InMemoryNetwork;
import io.mpcw.transport.memory.InMemoryServer;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.transport.pki.RecordSignatures;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.Decision;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.Evidence;
import io.mpcw.votes.Tally;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import io.mpcw.votes.VoteSignatureVerifier;
import io.mpcw.votes.VoteSnapshot;
import io.mpcw.votes.VoteTally;
import io.mpcw.votes.VotingRules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each simulated fault does what it claims, and the orchestrator's tally ({@link VoteTally}) finds
 * the evidence it is meant to find. Logic only, so over the in-memory transport.
 */
class ByzantineVotingTest {

  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static final InMemoryNetwork NETWORK = new InMemoryNetwork();

  @TempDir static Path pkiDir;
  static TestPki pki;
  static Client etcd;
  static EtcdVoteLedger ledger;

  @BeforeAll
  static void connect() {
    pki = new TestPki(pkiDir);
    etcd = ETCD.client("root");
    ledger =
        new EtcdVoteLedger(
            etcd.getKVClient(),
            new EtcdKeys(ETCD.keyPrefix()),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5));
  }

  @AfterAll
  static void disconnect() {
    etcd.close();
    NETWORK.close();
  }

  @Test
  void rejectAllRejectsAPaymentThePolicyApproves() {
    VoteRequest request = payment(1_000);

    VoteResponse response = voteAs(ByzantineMode.REJECT_ALL, request);

    assertThat(response.vote().decision()).isEqualTo(Decision.REJECT);
    assertThat(response.vote().digest()).isEqualTo(request.payload().digest(Decision.REJECT));
    assertThat(recorded(request)).isEqualTo(response.vote());
  }

  @Test
  void wrongDigestRecordsAValidlySignedVoteForAnotherPayload() {
    VoteRequest request = payment(1_000);

    VoteResponse response = voteAs(ByzantineMode.WRONG_DIGEST, request);

    VoteRecord vote = recorded(request);
    assertThat(vote.digest())
        .isNotEqualTo(request.payload().digest(Decision.APPROVE))
        .isNotEqualTo(request.payload().digest(Decision.REJECT));
    assertThat(verifies(vote)).isTrue();
    assertThat(response.vote()).isEqualTo(vote);
    assertThat(evidence(request, Map.of())).containsExactly(Evidence.Kind.DIGEST_MISMATCH);
  }

  @Test
  void badSignatureRecordsAVoteWhoseSignatureDoesNotVerify() {
    VoteRequest request = payment(1_000);

    voteAs(ByzantineMode.BAD_SIGNATURE, request);

    VoteRecord vote = recorded(request);
    assertThat(vote.digest()).isEqualTo(request.payload().digest(Decision.APPROVE));
    assertThat(vote.signatureBytes()).isPresent();
    assertThat(verifies(vote)).isFalse();
    assertThat(evidence(request, Map.of())).containsExactly(Evidence.Kind.BAD_SIGNATURE);
  }

  @Test
  void equivocateAnswersAValidlySignedOppositeOfItsRecord() {
    VoteRequest request = payment(1_000);

    VoteResponse response = voteAs(ByzantineMode.EQUIVOCATE, request);

    VoteRecord inEtcd = recorded(request);
    VoteRecord answered = response.vote();
    assertThat(inEtcd.decision()).isEqualTo(Decision.APPROVE);
    assertThat(answered.decision()).isEqualTo(Decision.REJECT);
    assertThat(answered.digest()).isEqualTo(request.payload().digest(Decision.REJECT));
    assertThat(verifies(inEtcd)).isTrue();
    assertThat(verifies(answered)).isTrue();
    assertThat(evidence(request, Map.of("node-1", answered)))
        .containsExactly(Evidence.Kind.EQUIVOCATION);
  }

  @Test
  void silentNeverAnswersAndRecordsNothing() {
    VoteRequest request = payment(1_000);
    try (VotingNode node = node(ByzantineMode.SILENT);
        InMemoryServer server = server()) {
      Endpoint endpoint = server.start(node.handler);
      TransportClient client =
          NETWORK.client(PeerIdentity.of("orchestrator"), new SimpleMeterRegistry());

      Throwable failure =
          client
              .request(
                  endpoint, VoteRequest.TYPE, VoteMessages.encode(request), Duration.ofMillis(300))
              .handle((reply, error) -> error)
              .join();

      Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
      assertThat(cause)
          .isInstanceOfSatisfying(
              TransportException.class,
              e -> assertThat(e.kind()).isEqualTo(TransportException.Kind.TIMEOUT));
      assertThat(ledger.snapshot(request.txId(), List.of("node-1")).votes()).isEmpty();
    }
  }

  @Test
  void honestNodeLeavesNoEvidence() {
    VoteRequest request = payment(1_000);

    VoteResponse response = voteAs(ByzantineMode.NONE, request);

    assertThat(evidence(request, Map.of("node-1", response.vote()))).isEmpty();
  }

  private VoteResponse voteAs(ByzantineMode mode, VoteRequest request) {
    try (VotingNode node = node(mode);
        InMemoryServer server = server()) {
      Endpoint endpoint = server.start(node.handler);
      TransportClient client =
          NETWORK.client(PeerIdentity.of("orchestrator"), new SimpleMeterRegistry());
      return VoteProtocolSuite.vote(client, endpoint, request);
    }
  }

  private static VotingNode node(ByzantineMode mode) {
    return new VotingNode(pki.node("node-1"), mode, etcd.getKVClient(), ETCD.keyPrefix());
  }

  private static InMemoryServer server() {
    return NETWORK.server(
        "node-1",
        ClusterIdentityPolicy.of(
            "orchestrator", "node-[0-9]+", () -> java.util.Set.of("node-1", "node-2", "node-3")),
        new SimpleMeterRegistry());
  }

  private static VoteRecord recorded(VoteRequest request) {
    VoteSnapshot snapshot = ledger.snapshot(request.txId(), List.of("node-1"));
    assertThat(snapshot.votes()).hasSize(1);
    return snapshot.votes().get(0);
  }

  private static boolean verifies(VoteRecord record) {
    return RecordSignatures.verify(
        pki.node(record.nodeId()).certificate(),
        record.signingPayload(),
        record.signatureBytes().orElseThrow());
  }

  /** The kinds of evidence the orchestrator's tally finds against node-1. */
  private static List<Evidence.Kind> evidence(
      VoteRequest request, Map<String, VoteRecord> answers) {
    VoteSignatureVerifier verifier =
        (nodeId, payload, signature) ->
            RecordSignatures.verify(pki.node(nodeId).certificate(), payload, signature)
                ? VoteSignatureVerifier.Result.VALID
                : VoteSignatureVerifier.Result.INVALID;
    Tally tally =
        VoteTally.tally(
            new VotingRules(1, 1, Set.of("node-1")),
            request.payload(),
            ledger.snapshot(request.txId(), List.of("node-1")),
            answers,
            List.of(),
            verifier);
    return tally.evidence().getOrDefault("node-1", List.of()).stream().map(Evidence::kind).toList();
  }
}
