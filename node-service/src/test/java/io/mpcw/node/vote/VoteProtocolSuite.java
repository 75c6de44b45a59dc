package io.mpcw.node.vote;

import static io.mpcw.node.vote.Payments.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.mpcw.embedded.FreePorts;
import io.mpcw.node.fault.ByzantineMode;
import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.node.identity.TestPki;
import io.mpcw.node.quic.ClusterIdentityPolicy;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.pki.RecordSignatures;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.Decision;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VoteBatchRequest;
import io.mpcw.votes.VoteBatchResponse;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import io.mpcw.votes.VoteSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's voting protocol, run over each transport (in-memory and QUIC) so that a failure here
 * and not there points at the transport rather than the voting logic.
 */
abstract class VoteProtocolSuite {

  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  static final IdentityPolicy CLUSTER =
      ClusterIdentityPolicy.of(
          "orchestrator", "node-[0-9]+", () -> java.util.Set.of("node-1", "node-2", "node-3"));
  static final Duration DEADLINE = Duration.ofSeconds(5);

  @TempDir static Path pkiDir;
  static TestPki pki;
  static Client etcd;
  static EtcdVoteLedger ledger;

  final List<AutoCloseable> opened = new ArrayList<>();
  VotingNode node;
  Endpoint endpoint;
  TransportClient orchestrator;

  /** Serves {@code handler} as {@code identity}, admitting whom {@code policy} permits. */
  abstract Endpoint serve(NodeIdentity identity, IdentityPolicy policy, RequestHandler handler);

  /** A client proving {@code identity}; closed by the transport subclass after each test. */
  abstract TransportClient client(String identity);

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
  }

  @BeforeEach
  void startNode() {
    node =
        track(
            new VotingNode(
                pki.node("node-1"), ByzantineMode.NONE, etcd.getKVClient(), ETCD.keyPrefix()));
    endpoint = serve(pki.node("node-1"), CLUSTER, node.handler);
    orchestrator = client("orchestrator");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    opened.clear();
  }

  <T extends AutoCloseable> T track(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  @Test
  void approvesPaymentAndRecordsVerifiableVoteInEtcd() {
    VoteRequest request = payment(50_000);

    VoteResponse response = vote(orchestrator, endpoint, request);

    assertThat(response.outcome()).isEqualTo("counted");
    VoteRecord vote = response.vote();
    assertThat(vote.decision()).isEqualTo(Decision.APPROVE);
    assertThat(vote.nodeId()).isEqualTo("node-1");
    assertThat(vote.digest()).isEqualTo(request.payload().digest(Decision.APPROVE));
    VoteSnapshot snapshot = ledger.snapshot(request.txId(), List.of("node-1"));
    assertThat(snapshot.votes()).containsExactly(vote);
    assertThat(verifies(snapshot.votes().get(0))).isTrue();
    assertThat(snapshot.counts()).containsEntry(vote.digest(), 1L);
    assertThat(node.cast("approve")).isEqualTo(1);
  }

  @Test
  void rejectsPaymentAboveTheLimitNamingIt() {
    VoteRequest request = payment(100_000_001);

    VoteResponse response = vote(orchestrator, endpoint, request);

    assertThat(response.outcome()).isEqualTo("counted");
    assertThat(response.vote().decision()).isEqualTo(Decision.REJECT);
    assertThat(response.vote().reason()).contains("per-transaction limit of 100000000 sats");
    assertThat(response.vote().digest()).isEqualTo(request.payload().digest(Decision.REJECT));
    assertThat(ledger.snapshot(request.txId(), List.of("node-1")).votes())
        .containsExactly(response.vote());
    assertThat(node.cast("reject")).isEqualTo(1);
  }

  @Test
  void repeatedRequestReturnsTheFirstVoteAndLeavesTheCount() {
    VoteRequest request = payment(50_000);
    VoteResponse first = vote(orchestrator, endpoint, request);

    VoteResponse again = vote(orchestrator, endpoint, request);

    assertThat(again.outcome()).isEqualTo("duplicate");
    assertThat(again.vote()).isEqualTo(first.vote());
    assertThat(ledger.snapshot(request.txId(), List.of("node-1")).counts())
        .containsExactly(Map.entry(first.vote().digest(), 1L));
    assertThat(node.cast("approve")).isEqualTo(1);
  }

  @Test
  void voteAfterTheDecisionIsNeitherRecordedNorReturned() {
    VoteRequest request = payment(50_000);
    ledger.decide(request.txId(), "approved");

    String code =
        remoteCode(orchestrator, endpoint, VoteRequest.TYPE, VoteMessages.encode(request));

    // the signed vote was not recorded, so it does not leave the node either
    assertThat(code).isEqualTo(VoteErrors.VOTING_CLOSED);
    assertThat(ledger.snapshot(request.txId(), List.of("node-1")).votes()).isEmpty();
    assertThat(node.refused("late")).isEqualTo(1);
    assertThat(node.cast("approve")).isZero();
  }

  @Test
  void malformedPayloadGetsAnErrorReplyAndTheServerKeepsServing() {
    byte[] garbage = "{\"tx_id\": 42".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(
            () -> orchestrator.request(endpoint, VoteRequest.TYPE, garbage, DEADLINE).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            TransportException.class,
            e -> assertThat(e.remoteCode()).contains(VoteErrors.MALFORMED_REQUEST));
    assertThat(node.refused("malformed")).isEqualTo(1);

    assertThat(vote(orchestrator, endpoint, payment(1_000)).outcome()).isEqualTo("counted");
  }

  @Test
  void requestMissingRequiredFieldsIsMalformed() {
    byte[] noWallet =
        "{\"tx_id\":\"4c2b1c8e-0d55-4c1b-9a43-0d2f1f4a6e10\",\"recipient\":\"x\",\"amount_sats\":1,\"metadata\":\"\"}"
            .getBytes(StandardCharsets.UTF_8);

    assertThat(remoteCode(orchestrator, endpoint, VoteRequest.TYPE, noWallet))
        .isEqualTo(VoteErrors.MALFORMED_REQUEST);
  }

  @Test
  void otherMessageTypesAreRefusedWithoutVoting() {
    assertThat(remoteCode(orchestrator, endpoint, "sign.round1", new byte[] {1}))
        .isEqualTo(VoteErrors.UNSUPPORTED_TYPE);
  }

  @Test
  void anotherClusterNodeAskingForAVoteIsRefused() {
    assertThat(
            remoteCode(
                client("node-2"), endpoint, VoteRequest.TYPE, VoteMessages.encode(payment(1_000))))
        .isEqualTo("FORBIDDEN");
  }

  @Test
  void clientThatIsNeitherOrchestratorNorNodeIsRefused() {
    TransportClient registry = client("registry");

    assertThatThrownBy(
            () ->
                registry
                    .request(endpoint, VoteRequest.TYPE, VoteMessages.encode(payment(1)), DEADLINE)
                    .join())
        .cause()
        .isInstanceOfSatisfying(
            TransportException.class,
            e -> assertThat(e.kind()).isEqualTo(TransportException.Kind.REFUSED));
  }

  @Test
  void unreachableEtcdGetsARetryableErrorAndNoVote() {
    VotingNode cutOff = cutOffFromEtcd();
    Endpoint node2 = serve(pki.node("node-2"), CLUSTER, cutOff.handler);
    VoteRequest request = payment(1_000);

    String code = remoteCode(orchestrator, node2, VoteRequest.TYPE, VoteMessages.encode(request));

    assertThat(code).isEqualTo(VoteErrors.ETCD_UNAVAILABLE);
    assertThat(VoteErrors.retryable(code)).isTrue();
    assertThat(cutOff.refused("etcd_unavailable")).isEqualTo(1);
    assertThat(ledger.snapshot(request.txId(), List.of("node-1")).votes()).isEmpty();
  }

  @Test
  void aBatchIsAnsweredPerPaymentInTheOrderAskedAsEachVoteWouldBeAlone() {
    VoteRequest fresh = payment(50_000);
    VoteRequest aboveLimit = payment(100_000_001);
    VoteRequest votedBefore = payment(20_000);
    VoteRequest decided = payment(30_000);
    VoteResponse first = vote(orchestrator, endpoint, votedBefore);
    ledger.decide(decided.txId(), "approved");

    List<VoteBatchResponse.Answer> answers =
        batch(orchestrator, endpoint, List.of(fresh, aboveLimit, votedBefore, decided));

    assertThat(answers)
        .extracting(VoteBatchResponse.Answer::txId)
        .containsExactly(fresh.txId(), aboveLimit.txId(), votedBefore.txId(), decided.txId());
    assertThat(answers.get(0).vote().outcome()).isEqualTo("counted");
    assertThat(answers.get(0).vote().vote().decision()).isEqualTo(Decision.APPROVE);
    assertThat(verifies(answers.get(0).vote().vote())).isTrue();
    assertThat(answers.get(1).vote().outcome()).isEqualTo("counted");
    assertThat(answers.get(1).vote().vote().decision()).isEqualTo(Decision.REJECT);
    assertThat(answers.get(2).vote().outcome()).isEqualTo("duplicate");
    assertThat(answers.get(2).vote().vote()).isEqualTo(first.vote());
    // the late vote was neither recorded nor returned, as alone
    assertThat(answers.get(3).vote()).isNull();
    assertThat(answers.get(3).error()).isEqualTo(VoteErrors.VOTING_CLOSED);
    assertThat(ledger.snapshot(fresh.txId(), List.of("node-1")).votes())
        .containsExactly(answers.get(0).vote().vote());
    assertThat(ledger.snapshot(aboveLimit.txId(), List.of("node-1")).votes())
        .containsExactly(answers.get(1).vote().vote());
    assertThat(ledger.snapshot(decided.txId(), List.of("node-1")).votes()).isEmpty();
    assertThat(node.cast("approve")).isEqualTo(2);
    assertThat(node.cast("reject")).isEqualTo(1);
    assertThat(node.refused("late")).isEqualTo(1);
  }

  @Test
  void aBatchAskingTwiceForOnePaymentIsRefusedWholeAndRecordsNothing() {
    VoteRequest once = payment(1_000);
    VoteRequest twice = payment(2_000);
    byte[] batch = VoteMessages.encode(new VoteBatchRequest(List.of(once, twice, twice)));

    assertThat(remoteCode(orchestrator, endpoint, VoteBatchRequest.TYPE, batch))
        .isEqualTo(VoteErrors.MALFORMED_REQUEST);
    assertThat(ledger.snapshot(once.txId(), List.of("node-1")).votes()).isEmpty();
    assertThat(ledger.snapshot(twice.txId(), List.of("node-1")).votes()).isEmpty();
    assertThat(node.refused("malformed")).isEqualTo(1);
  }

  @Test
  void anEmptyOrOversizedOrPartlyMalformedBatchIsRefusedAndTheNodeKeepsServing() {
    List<VoteRequest> tooMany =
        java.util.stream.IntStream.rangeClosed(0, VoteBatchRequest.MAX_VOTES)
            .mapToObj(i -> payment(1_000))
            .toList();
    byte[] partlyMalformed =
        ("{\"votes\":["
                + new String(VoteMessages.encode(payment(1_000)), StandardCharsets.UTF_8)
                + ",{\"tx_id\":\"4c2b1c8e-0d55-4c1b-9a43-0d2f1f4a6e10\"}]}")
            .getBytes(StandardCharsets.UTF_8);

    for (byte[] batch :
        List.of(
            VoteMessages.encode(new VoteBatchRequest(List.of())),
            VoteMessages.encode(new VoteBatchRequest(tooMany)),
            partlyMalformed,
            "{\"votes\":[".getBytes(StandardCharsets.UTF_8))) {
      assertThat(remoteCode(orchestrator, endpoint, VoteBatchRequest.TYPE, batch))
          .isEqualTo(VoteErrors.MALFORMED_REQUEST);
    }
    assertThat(node.refused("malformed")).isEqualTo(4);
    assertThat(node.cast("approve")).isZero();

    assertThat(batch(orchestrator, endpoint, List.of(payment(1_000), payment(2_000))))
        .allSatisfy(answer -> assertThat(answer.vote().outcome()).isEqualTo("counted"));
  }

  @Test
  void anotherClusterNodeSendingAVoteBatchIsRefused() {
    byte[] batch = VoteMessages.encode(new VoteBatchRequest(List.of(payment(1_000))));

    assertThat(remoteCode(client("node-2"), endpoint, VoteBatchRequest.TYPE, batch))
        .isEqualTo("FORBIDDEN");
    assertThat(node.cast("approve")).isZero();
  }

  @Test
  void aBatchTheLedgerDoesNotConfirmGetsARetryableErrorAndNoVote() {
    VotingNode cutOff = cutOffFromEtcd();
    Endpoint node2 = serve(pki.node("node-2"), CLUSTER, cutOff.handler);
    VoteRequest request = payment(1_000);
    byte[] batch = VoteMessages.encode(new VoteBatchRequest(List.of(request, payment(2_000))));

    String code = remoteCode(orchestrator, node2, VoteBatchRequest.TYPE, batch);

    assertThat(code).isEqualTo(VoteErrors.ETCD_UNAVAILABLE);
    assertThat(cutOff.refused("etcd_unavailable")).isEqualTo(1);
    assertThat(ledger.snapshot(request.txId(), List.of("node-2")).votes()).isEmpty();
  }

  /** node-2, whose etcd client points at a port nothing listens on. */
  private VotingNode cutOffFromEtcd() {
    Client deadEtcd =
        track(Client.builder().endpoints("http://127.0.0.1:" + FreePorts.next()).build());
    return track(
        new VotingNode(
            pki.node("node-2"),
            VotingNode.DEFAULT_POLICY,
            ByzantineMode.NONE,
            deadEtcd.getKVClient(),
            ETCD.keyPrefix(),
            Duration.ofMillis(200),
            Duration.ofMillis(300)));
  }

  static List<VoteBatchResponse.Answer> batch(
      TransportClient client, Endpoint endpoint, List<VoteRequest> requests) {
    var reply =
        client
            .request(
                endpoint,
                VoteBatchRequest.TYPE,
                VoteMessages.encode(new VoteBatchRequest(requests)),
                DEADLINE)
            .join();
    assertThat(reply.getType()).isEqualTo(VoteBatchResponse.TYPE);
    return VoteMessages.decode(reply.getPayload().toByteArray(), VoteBatchResponse.class).answers();
  }

  static VoteResponse vote(TransportClient client, Endpoint endpoint, VoteRequest request) {
    var reply =
        client.request(endpoint, VoteRequest.TYPE, VoteMessages.encode(request), DEADLINE).join();
    assertThat(reply.getType()).isEqualTo(VoteResponse.TYPE);
    return VoteMessages.decode(reply.getPayload().toByteArray(), VoteResponse.class);
  }

  static String remoteCode(TransportClient client, Endpoint endpoint, String type, byte[] payload) {
    try {
      client.request(endpoint, type, payload, DEADLINE).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof TransportException failure) {
        return failure.remoteCode().orElse(failure.kind().name());
      }
      throw e;
    }
    throw new AssertionError("expected an error reply");
  }

  static boolean verifies(VoteRecord record) {
    NodeIdentity signer = pki.node(record.nodeId());
    return RecordSignatures.verify(
        signer.certificate(), record.signingPayload(), record.signatureBytes().orElseThrow());
  }
}
