package io.mpcw.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.node.identity.TestPki;
import io.mpcw.node.quic.NodeQuicServer;
import io.mpcw.node.registry.FakeRegistry;
import io.mpcw.node.registry.PeerCertificates;
import io.mpcw.node.request.RequestPath;
import io.mpcw.node.vote.Payments;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.dkg.DkgPart1Request;
import io.mpcw.protocol.dkg.DkgPart1Response;
import io.mpcw.protocol.dkg.DkgPart2Request;
import io.mpcw.protocol.dkg.DkgPart3Request;
import io.mpcw.protocol.signing.PooledCommitment;
import io.mpcw.protocol.signing.Prevout;
import io.mpcw.protocol.signing.SignCommitRequest;
import io.mpcw.protocol.signing.SignPooledShareBatchRequest;
import io.mpcw.protocol.signing.SignPooledShareBatchResponse;
import io.mpcw.protocol.signing.SignPooledShareRequest;
import io.mpcw.protocol.signing.SignPrecommitRequest;
import io.mpcw.protocol.signing.SignShareRequest;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.quic.QuicTransportClient;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every message type through the node's real QUIC server, as the orchestrator and as a peer. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {"mpcw.node.node-id=node-3", "mpcw.node.heartbeat-interval=200ms"})
class NodeProtocolOverQuicTest {

  private static final TestPki PKI = TestPki.inTemporaryDirectory();
  private static final FakeRegistry REGISTRY = FakeRegistry.start(0, PKI.ca());
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @Autowired NodeQuicServer server;
  @Autowired MeterRegistry meters;
  @Autowired PeerCertificates peers;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry properties) {
    // node-1 is listed so the QUIC server admits it as a peer: what it asks is then refused
    REGISTRY.register("node-1", PKI.credentials("node-1").certificate());
    REGISTRY.register("node-2", PKI.credentials("node-2").certificate());
    properties.add("mpcw.node.registry-url", REGISTRY::url);
    properties.add("mpcw.pki.dir", () -> PKI.dir().toString());
    properties.add("mpcw.node.quic-address", () -> "127.0.0.1:0");
    properties.add("mpcw.etcd.endpoints", ETCD::endpoints);
    properties.add("mpcw.etcd.prefix", ETCD::keyPrefix);
    properties.add("mpcw.etcd.tls.certificate", () -> ETCD.tls("node-3").certificate());
    properties.add("mpcw.etcd.tls.private-key", () -> ETCD.tls("node-3").privateKey());
    properties.add("mpcw.etcd.tls.ca-certificate", () -> ETCD.tls("node-3").caCertificate());
    properties.add("mpcw.node.shares.dir", () -> PKI.dir().resolve("shares").toString());
    properties.add("mpcw.node.shares.key", () -> "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
  }

  @AfterAll
  static void stop() {
    REGISTRY.close();
    PKI.delete();
  }

  /** The node learns its peers' certificates from the registry once it has registered. */
  @BeforeEach
  void awaitPeerCertificates() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while ((peers.apply("node-1").isEmpty() || peers.apply("node-2").isEmpty())
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(peers.apply("node-2")).isPresent();
  }

  private Envelope call(String identity, String type, byte[] payload) {
    try (QuicTransportClient client =
        new QuicTransportClient(
            PKI.credentials(identity),
            PKI.ca(),
            TransportSettings.defaults(),
            new SimpleMeterRegistry(),
            Clock.systemUTC())) {
      Endpoint endpoint = server.endpoint().orElseThrow();
      return client.request(endpoint, type, payload, DEADLINE).join();
    }
  }

  /** The error code of a refused request. */
  private String refusal(String identity, String type, byte[] payload) {
    try {
      Envelope reply = call(identity, type, payload);
      throw new AssertionError("expected a refusal, got " + reply.getType());
    } catch (CompletionException e) {
      return ((TransportException) e.getCause()).remoteCode().orElseThrow();
    }
  }

  /** After a refusal the server still answers a vote. */
  private void assertStillServes() {
    assertThat(
            call("orchestrator", VoteRequest.TYPE, VoteMessages.encode(Payments.payment(1_000)))
                .getType())
        .isEqualTo(VoteResponse.TYPE);
  }

  /** The error code of {@code json} sent by the orchestrator as a {@code type}. */
  private String malformed(String type, String json) {
    return refusal("orchestrator", type, json.getBytes(StandardCharsets.UTF_8));
  }

  private String refusal(String type, Object message) {
    return refusal("orchestrator", type, ProtocolMessages.encode(message));
  }

  @Test
  void voteRequestReachesTheVoteHandler() {
    Envelope reply =
        call("orchestrator", VoteRequest.TYPE, VoteMessages.encode(Payments.payment(25_000)));

    assertThat(reply.getType()).isEqualTo(VoteResponse.TYPE);
  }

  @Test
  void dkgPart1ReachesTheDkgParticipant() {
    UUID wallet = UUID.randomUUID();
    Envelope reply =
        call(
            "orchestrator",
            DkgPart1Request.TYPE,
            ProtocolMessages.encode(
                new DkgPart1Request(wallet, List.of("node-1", "node-2", "node-3"), 2)));

    assertThat(reply.getType()).isEqualTo(DkgPart1Response.TYPE);
    DkgPart1Response response =
        ProtocolMessages.decode(reply.getPayload().toByteArray(), DkgPart1Response.class);
    assertThat(response.nodeId()).isEqualTo("node-3");
    assertThat(response.identifier()).isEqualTo(3);
  }

  @Test
  void dkgPart2AndPart3ReachTheDkgParticipant() {
    UUID wallet = UUID.randomUUID();

    assertThat(refusal(DkgPart2Request.TYPE, new DkgPart2Request(wallet, Map.of())))
        .isEqualTo(ProtocolErrors.UNKNOWN_DKG_SESSION);
    assertThat(refusal(DkgPart3Request.TYPE, new DkgPart3Request(wallet, Map.of(), Map.of())))
        .isEqualTo(ProtocolErrors.UNKNOWN_DKG_SESSION);
  }

  @Test
  void signCommitReachesTheSigningParticipant() {
    assertThat(
            refusal(
                SignCommitRequest.TYPE,
                new SignCommitRequest(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1)))
        .isEqualTo(ProtocolErrors.NOT_A_PARTICIPANT);
  }

  @Test
  void signPrecommitReachesTheSigningParticipant() {
    assertThat(
            refusal(SignPrecommitRequest.TYPE, new SignPrecommitRequest(UUID.randomUUID(), 0, 2)))
        .isEqualTo(ProtocolErrors.NOT_A_PARTICIPANT);
  }

  @Test
  void pooledSignShareReachesTheSigningParticipantAndAnUnknownCommitmentIsRefused() {
    SignPooledShareRequest request = pooledWithUnknownCommitment(UUID.randomUUID());

    assertThat(refusal(SignPooledShareRequest.TYPE, request))
        .isEqualTo(ProtocolErrors.UNKNOWN_SESSION);
  }

  /** A round 2 naming a commitment this node (node-3) never made. */
  private static SignPooledShareRequest pooledWithUnknownCommitment(UUID txId) {
    return new SignPooledShareRequest(
        UUID.randomUUID(),
        txId,
        UUID.randomUUID(),
        "bcrt1q",
        1_000,
        "00",
        List.of(new Prevout(2_000, "51")),
        Map.of("node-3", List.of(new PooledCommitment(UUID.randomUUID(), "00"))),
        0);
  }

  @Test
  void aRoundTwoBatchIsAnsweredSessionBySessionAndEachRefusalIsCounted() {
    SignPooledShareRequest first = pooledWithUnknownCommitment(UUID.randomUUID());
    SignPooledShareRequest second = pooledWithUnknownCommitment(UUID.randomUUID());
    double before = signingRefusals("unknown_session");

    Envelope reply =
        call(
            "orchestrator",
            SignPooledShareBatchRequest.TYPE,
            ProtocolMessages.encode(new SignPooledShareBatchRequest(List.of(first, second))));

    assertThat(reply.getType()).isEqualTo(SignPooledShareBatchResponse.TYPE);
    SignPooledShareBatchResponse answers =
        ProtocolMessages.decode(
            reply.getPayload().toByteArray(), SignPooledShareBatchResponse.class);
    assertThat(answers.signed()).isEmpty();
    assertThat(answers.refused())
        .extracting(r -> r.sessionId(), r -> r.error())
        .containsExactly(
            tuple(first.sessionId(), ProtocolErrors.UNKNOWN_SESSION),
            tuple(second.sessionId(), ProtocolErrors.UNKNOWN_SESSION));
    assertThat(signingRefusals("unknown_session")).isEqualTo(before + 2);
  }

  @Test
  void aRoundTwoBatchNamingAPaymentTwiceIsRefusedWholeAndTheServerStillServes() {
    UUID txId = UUID.randomUUID();
    byte[] twice =
        ProtocolMessages.encode(
            Map.of(
                "sessions",
                List.of(pooledWithUnknownCommitment(txId), pooledWithUnknownCommitment(txId))));

    double before = signingRefusals("malformed_request");

    assertThat(refusal("orchestrator", SignPooledShareBatchRequest.TYPE, twice))
        .isEqualTo(ProtocolErrors.MALFORMED_REQUEST);
    assertThat(malformed(SignPooledShareBatchRequest.TYPE, "{}"))
        .isEqualTo(ProtocolErrors.MALFORMED_REQUEST);
    assertThat(signingRefusals("malformed_request")).isEqualTo(before + 2);
    assertStillServes();
  }

  @Test
  void signShareReachesTheSigningParticipant() {
    SignShareRequest request =
        new SignShareRequest(
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            "bcrt1q",
            1_000,
            "00",
            List.of(new Prevout(2_000, "51")),
            Map.of());

    assertThat(refusal(SignShareRequest.TYPE, request)).isEqualTo(ProtocolErrors.UNKNOWN_SESSION);
  }

  @Test
  void unknownTypeIsUnsupported() {
    assertThat(refusal("orchestrator", "wallet.export.v1", new byte[] {1}))
        .isEqualTo(ProtocolErrors.UNSUPPORTED_TYPE);
  }

  @Test
  void malformedRequestIsRefusedCountedAndTheServerStillServes() {
    double before = signingRefusals("malformed_request");

    assertThat(malformed(SignCommitRequest.TYPE, "{\"inputs\":\"many\""))
        .isEqualTo(ProtocolErrors.MALFORMED_REQUEST);

    assertThat(signingRefusals("malformed_request")).isEqualTo(before + 1);
    assertStillServes();
  }

  @Test
  void nodeCallingSigningOrDkgIsRefusedAndCounted() {
    double before = signingRefusals("forbidden");
    SignCommitRequest commit =
        new SignCommitRequest(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1);

    assertThat(refusal("node-1", SignCommitRequest.TYPE, ProtocolMessages.encode(commit)))
        .isEqualTo(RequestPath.FORBIDDEN);
    assertThat(
            refusal(
                "node-1",
                DkgPart1Request.TYPE,
                ProtocolMessages.encode(
                    new DkgPart1Request(
                        UUID.randomUUID(), List.of("node-1", "node-2", "node-3"), 2))))
        .isEqualTo(RequestPath.FORBIDDEN);

    assertThat(signingRefusals("forbidden")).isEqualTo(before + 1);
    assertThat(meters.get("node.dkg").tag("outcome", "forbidden").counter().count()).isEqualTo(1);
  }

  private double signingRefusals(String reason) {
    var counter = meters.find("node.signing.refusals").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }
}
