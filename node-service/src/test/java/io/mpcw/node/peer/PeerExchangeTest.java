package io.mpcw.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.node.identity.TestPki;
import io.mpcw.node.registry.ClusterMembership;
import io.mpcw.node.registry.PeerCertificates;
import io.mpcw.node.request.RequestPath;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.transport.pki.PemFiles;
import io.mpcw.transport.quic.QuicTransportClient;
import io.mpcw.transport.quic.QuicTransportServer;
import io.mpcw.types.cluster.NodeStatus;
import io.mpcw.types.cluster.NodeView;
import io.mpcw.types.cluster.PeerExchangeReply;
import io.mpcw.types.cluster.PeerExchangeRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * node-1's peer exchange against a stand-in node-2 on real QUIC (certificates made at test time)
 * that answers what each test needs, and node-1's server half called directly.
 */
class PeerExchangeTest {
  private static final TestPki PKI = TestPki.inTemporaryDirectory();

  private final MeterRegistry meters = new SimpleMeterRegistry();
  private final ClusterMembership membership = new ClusterMembership();
  private final PeerMetrics metrics = new PeerMetrics(meters, membership);
  private final List<AutoCloseable> open = new ArrayList<>();
  private PeerExchange exchange;

  @AfterEach
  void close() throws Exception {
    if (exchange != null) {
      exchange.stop();
    }
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @AfterAll
  static void deletePki() {
    PKI.delete();
  }

  private static String pem(String identity) {
    return PemFiles.toPem(PKI.credentials(identity).certificate());
  }

  private static NodeView listed(String nodeId, String address) {
    return new NodeView(
        nodeId, address, null, NodeStatus.ACTIVE, Instant.now(), 0, 0, 0, "test", pem(nodeId));
  }

  /** node-2 stand-in on QUIC, answering every request with {@code handler}. */
  private String node2(RequestHandler handler) {
    QuicTransportServer server =
        new QuicTransportServer(
            PKI.credentials("node-2"),
            PKI.ca(),
            IdentityPolicy.anyClusterMember(),
            new InetSocketAddress("127.0.0.1", 0),
            TransportSettings.defaults(),
            new SimpleMeterRegistry(),
            Clock.systemUTC());
    open.add(server);
    Endpoint endpoint = server.start(handler);
    return endpoint.host() + ":" + endpoint.port();
  }

  /** node-1 in peer mode, knowing itself and node-2 at {@code node2Address}. */
  private void node1InPeerMode(String node2Address) {
    membership.update(List.of(listed("node-1", "127.0.0.1:7001"), listed("node-2", node2Address)));
    membership.enterPeerMode();
    PeerProperties properties =
        new PeerProperties(
            1,
            Duration.ofMillis(100),
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            Duration.ofSeconds(15),
            256);
    exchange =
        new PeerExchange(
            "node-1",
            () -> Optional.of("127.0.0.1:7001"),
            pem("node-1"),
            "orchestrator",
            membership,
            new PeerEntries(
                "node-1",
                "node-[0-9]+",
                new PeerCertificates(membership, PKI.node("node-1"), Clock.systemUTC()),
                metrics),
            new QuicTransportClient(
                PKI.credentials("node-1"),
                PKI.ca(),
                TransportSettings.defaults(),
                new SimpleMeterRegistry(),
                Clock.systemUTC()),
            properties,
            metrics,
            Clock.systemUTC());
  }

  private double exchanges(String direction, String outcome) {
    Counter counter =
        meters
            .find("node.peer.exchanges")
            .tag("direction", direction)
            .tag("outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private void awaitExchange(String outcome) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (exchanges("out", outcome) < 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(exchanges("out", outcome)).isEqualTo(1);
  }

  private static Envelope request(byte[] payload) {
    return Envelopes.request(PeerExchangeRequest.TYPE, 1, Instant.now().plusSeconds(5), payload);
  }

  @Test
  void aPeerAnsweringSomethingThatIsNotAPeerListIsCountedAndNotHeard() throws Exception {
    String address =
        node2(
            (peer, request) ->
                CompletableFuture.completedFuture(
                    Envelopes.reply(
                        request,
                        PeerExchangeReply.TYPE,
                        "{\"peers\":7}".getBytes(StandardCharsets.UTF_8))));
    node1InPeerMode(address);
    Instant before = membership.members().get("node-2").lastSeen();

    exchange.exchangeRound();

    awaitExchange("malformed_reply");
    assertThat(membership.members().get("node-2").lastSeen()).isEqualTo(before);
  }

  @Test
  void aReplyInTheNameOfAnotherNodeIsNotMerged() throws Exception {
    String address =
        node2(
            (peer, request) ->
                CompletableFuture.completedFuture(
                    Envelopes.reply(
                        request,
                        PeerExchangeReply.TYPE,
                        ProtocolMessages.encode(
                            new PeerExchangeReply("node-3", "peer", List.of())))));
    node1InPeerMode(address);
    Instant before = membership.members().get("node-2").lastSeen();

    exchange.exchangeRound();

    awaitExchange("malformed_reply");
    assertThat(membership.members().get("node-2").lastSeen()).isEqualTo(before);
  }

  @Test
  void aPeerThatDoesNotServeTheExchangeCountsAsARemoteError() throws Exception {
    String address =
        node2(
            (peer, request) ->
                CompletableFuture.completedFuture(
                    Envelopes.error(request, ProtocolErrors.UNSUPPORTED_TYPE, "old node")));
    node1InPeerMode(address);

    exchange.exchangeRound();

    awaitExchange("remote_error");
  }

  @Test
  void aValidAnswerMarksThePeerHeard() throws Exception {
    String address =
        node2(
            (peer, request) ->
                CompletableFuture.completedFuture(
                    Envelopes.reply(
                        request,
                        PeerExchangeReply.TYPE,
                        ProtocolMessages.encode(
                            new PeerExchangeReply("node-2", "peer", List.of())))));
    node1InPeerMode(address);
    Instant before = membership.members().get("node-2").lastSeen();

    exchange.exchangeRound();

    awaitExchange("ok");
    assertThat(membership.members().get("node-2").lastSeen()).isAfterOrEqualTo(before);
    assertThat(membership.members().get("node-2").status()).isEqualTo(NodeStatus.ACTIVE);
  }

  @Test
  void inRegistryModeNoRoundIsSent() throws Exception {
    String address =
        node2(
            (peer, request) ->
                CompletableFuture.completedFuture(Envelopes.error(request, "X", "")));
    node1InPeerMode(address);
    membership.update(List.of(listed("node-1", "127.0.0.1:7001"), listed("node-2", address)));

    exchange.exchangeRound();
    Thread.sleep(300);

    assertThat(meters.find("node.peer.exchanges").counters()).isEmpty();
  }

  @Test
  void aCallerThatIsNeitherAnAdmittedNodeNorTheOrchestratorIsForbidden() {
    node1InPeerMode("127.0.0.1:9");

    Envelope reply =
        exchange
            .serving((peer, request) -> CompletableFuture.failedFuture(new AssertionError()))
            .handle(
                PeerIdentity.of("node-9"),
                request(ProtocolMessages.encode(new PeerExchangeRequest(List.of()))))
            .join();

    assertThat(reply.getError().getCode()).isEqualTo(RequestPath.FORBIDDEN);
    assertThat(exchanges("in", "forbidden")).isEqualTo(1);
  }

  @Test
  void aMalformedPeerListIsRefused() {
    node1InPeerMode("127.0.0.1:9");

    Envelope reply =
        exchange
            .serving((peer, request) -> CompletableFuture.failedFuture(new AssertionError()))
            .handle(
                PeerIdentity.of("node-2"),
                request("{\"peers\":[{\"node_id\":1}]".getBytes(StandardCharsets.UTF_8)))
            .join();

    assertThat(reply.getError().getCode()).isEqualTo(ProtocolErrors.MALFORMED_REQUEST);
    assertThat(exchanges("in", "malformed_request")).isEqualTo(1);
  }

  @Test
  void otherMessageTypesGoToTheProtocolRouter() {
    node1InPeerMode("127.0.0.1:9");
    Envelope vote =
        Envelopes.request("vote.request.v1", 2, Instant.now().plusSeconds(5), new byte[0]);
    Envelope routed = Envelopes.reply(vote, "routed", new byte[0]);

    Envelope reply =
        exchange
            .serving((peer, request) -> CompletableFuture.completedFuture(routed))
            .handle(PeerIdentity.of("orchestrator"), vote)
            .join();

    assertThat(reply.getType()).isEqualTo("routed");
  }
}
