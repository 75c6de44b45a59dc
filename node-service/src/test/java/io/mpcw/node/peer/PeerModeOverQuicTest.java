package io.mpcw.node.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.node.TestNode;
import io.mpcw.node.identity.TestPki;
import io.mpcw.node.registry.ClusterMembership;
import io.mpcw.node.registry.FakeRegistry;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.pki.PemFiles;
import io.mpcw.transport.quic.QuicTransportClient;
import io.mpcw.types.cluster.NodeStatus;
import io.mpcw.types.cluster.PeerEntry;
import io.mpcw.types.cluster.PeerExchangeReply;
import io.mpcw.types.cluster.PeerExchangeRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Three real nodes (Spring contexts, QUIC + mTLS with certificates made at test time, etcd) and a
 * registry that goes down and comes back: peer mode, the exchange over QUIC, failure detection, the
 * refusal of forged entries, and the return to the registry.
 */
class PeerModeOverQuicTest {
  private static final TestPki PKI = TestPki.inTemporaryDirectory();
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static final List<String> NODES = List.of("node-1", "node-2", "node-3");
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static final int REGISTRY_PORT = freeTcpPort();
  private static final Map<String, Integer> QUIC_PORTS = new LinkedHashMap<>();
  private static final Map<String, ConfigurableApplicationContext> RUNNING =
      Collections.synchronizedMap(new LinkedHashMap<>());
  private static FakeRegistry registry;

  @BeforeAll
  static void startCluster() {
    NODES.forEach(id -> QUIC_PORTS.put(id, freeUdpPort()));
    registry = FakeRegistry.start(REGISTRY_PORT, PKI.ca());
    NODES.forEach(PeerModeOverQuicTest::startNode);
  }

  @AfterAll
  static void stopCluster() {
    RUNNING.values().forEach(ConfigurableApplicationContext::close);
    if (registry != null) {
      registry.close();
    }
    PKI.delete();
  }

  /** Every test starts from a registry that answers and three nodes in registry mode. */
  @BeforeEach
  void clusterInRegistryMode() {
    if (registry == null) {
      registry = FakeRegistry.start(REGISTRY_PORT, PKI.ca());
    }
    NODES.stream().filter(id -> !RUNNING.containsKey(id)).forEach(PeerModeOverQuicTest::startNode);
    await(
        "all nodes in registry mode, each knowing the three",
        () ->
            NODES.stream()
                .allMatch(
                    id ->
                        membership(id).mode() == ClusterMembership.Mode.REGISTRY
                            && membership(id).nodes().containsAll(NODES)
                            && membership(id).members().values().stream()
                                .allMatch(m -> m.quicAddress().isPresent())));
  }

  @AfterEach
  void registryBack() {
    if (registry == null) {
      registry = FakeRegistry.start(REGISTRY_PORT, PKI.ca());
    }
  }

  private static void startNode(String nodeId) {
    try {
      Path shares = Files.createDirectories(PKI.dir().resolve("shares-" + nodeId));
      Map<String, String> properties =
          new HashMap<>(
              TestNode.baseProperties(
                  nodeId, PKI, ETCD, "http://127.0.0.1:" + REGISTRY_PORT, shares));
      properties.put("mpcw.node.quic-address", "127.0.0.1:" + QUIC_PORTS.get(nodeId));
      properties.put("mpcw.node.shares.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
      properties.put("mpcw.node.heartbeat-interval", "200ms");
      properties.put("mpcw.node.max-backoff", "400ms");
      properties.put("mpcw.node.request-timeout", "500ms");
      properties.put("mpcw.node.peer.exchange-interval", "200ms");
      properties.put("mpcw.node.peer.request-deadline", "500ms");
      properties.put("mpcw.node.peer.suspect-after", "1500ms");
      properties.put("mpcw.node.peer.dead-after", "3s");
      RUNNING.put(nodeId, TestNode.start(properties));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stopRegistry() {
    registry.close();
    registry = null;
  }

  private static void awaitPeerMode(List<String> nodes) {
    await(
        "peer mode on " + nodes,
        () -> nodes.stream().allMatch(id -> membership(id).mode() == ClusterMembership.Mode.PEER));
  }

  private static ClusterMembership membership(String nodeId) {
    return RUNNING.get(nodeId).getBean(ClusterMembership.class);
  }

  private static MeterRegistry meters(String nodeId) {
    return RUNNING.get(nodeId).getBean(MeterRegistry.class);
  }

  private static double counter(String nodeId, String name, String tag, String value) {
    Counter counter = meters(nodeId).find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  private static double exchanges(String nodeId, String direction, String outcome) {
    Counter counter =
        meters(nodeId)
            .find("node.peer.exchanges")
            .tag("direction", direction)
            .tag("outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static JsonNode actuator(String nodeId, String path) {
    String port = RUNNING.get(nodeId).getEnvironment().getProperty("local.server.port");
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return path.endsWith("prometheus")
          ? JSON.getNodeFactory().textNode(response.body())
          : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Endpoint quic(String nodeId) {
    return new Endpoint("127.0.0.1", QUIC_PORTS.get(nodeId), nodeId);
  }

  /** One exchange with {@code target} over QUIC, sent with {@code identity}'s certificate. */
  private static PeerExchangeReply exchange(
      String identity, String target, List<PeerEntry> entries) {
    try (QuicTransportClient client =
        new QuicTransportClient(
            PKI.credentials(identity),
            PKI.ca(),
            TransportSettings.defaults(),
            new SimpleMeterRegistry(),
            Clock.systemUTC())) {
      Envelope reply =
          client
              .request(
                  quic(target),
                  PeerExchangeRequest.TYPE,
                  ProtocolMessages.encode(new PeerExchangeRequest(entries)),
                  Duration.ofSeconds(5))
              .join();
      assertThat(reply.getType()).isEqualTo(PeerExchangeReply.TYPE);
      return ProtocolMessages.decode(reply.getPayload().toByteArray(), PeerExchangeReply.class);
    }
  }

  private static PeerEntry entry(String nodeId, String address, String certificatePem) {
    return new PeerEntry(
        nodeId, address, certificatePem, NodeStatus.ACTIVE, Instant.now().toEpochMilli());
  }

  private static String pem(String identity) {
    return PemFiles.toPem(PKI.credentials(identity).certificate());
  }

  @Test
  void nodesSwitchToPeerModeExchangeListsAndReturnToTheRegistryWhenItIsBack() {
    stopRegistry();

    awaitPeerMode(NODES);
    await(
        "every node exchanged lists with the others",
        () -> NODES.stream().allMatch(id -> exchanges(id, "out", "ok") >= 4));
    for (String id : NODES) {
      assertThat(membership(id).nodes()).containsExactlyInAnyOrderElementsOf(NODES);
      JsonNode view = actuator(id, "/actuator/membership");
      assertThat(view.get("mode").asText()).isEqualTo("peer");
      assertThat(view.get("peers").get("active").asInt()).isEqualTo(3);
      assertThat(view.get("peers").get("dead").asInt()).isZero();
      assertThat(actuator(id, "/actuator/prometheus").asText())
          .contains("node_membership_mode{application=\"node-service\",mode=\"peer\",node=\"" + id)
          .containsPattern("node_membership_mode\\{[^}]*mode=\"peer\"[^}]*} 1.0")
          .containsPattern("node_membership_mode\\{[^}]*mode=\"registry\"[^}]*} 0.0")
          .containsPattern("node_peers\\{[^}]*status=\"active\"[^}]*} 3.0")
          .contains("node_peer_exchanges_total");
    }

    registry = FakeRegistry.start(REGISTRY_PORT, PKI.ca());

    await(
        "all nodes back in registry mode, registered again",
        () ->
            NODES.stream()
                .allMatch(
                    id ->
                        membership(id).mode() == ClusterMembership.Mode.REGISTRY
                            && registry.knows(id)));
    assertThat(actuator("node-1", "/actuator/membership").get("mode").asText())
        .isEqualTo("registry");
  }

  @Test
  void aKilledPeerTurnsSuspectThenDeadAndIsNoLongerAdmitted() {
    stopRegistry();
    awaitPeerMode(NODES);
    await("node-3 known active by node-1", () -> exchanges("node-1", "out", "ok") >= 2);

    RUNNING.remove("node-3").close();

    List<NodeStatus> seen = Collections.synchronizedList(new ArrayList<>());
    await(
        "node-1 and node-2 declare node-3 dead",
        () -> {
          NodeStatus status = membership("node-1").members().get("node-3").status();
          if (seen.isEmpty() || seen.get(seen.size() - 1) != status) {
            seen.add(status);
          }
          return status == NodeStatus.DEAD
              && membership("node-2").members().get("node-3").status() == NodeStatus.DEAD;
        });
    assertThat(seen).containsSubsequence(NodeStatus.SUSPECT, NodeStatus.DEAD);
    assertThat(membership("node-1").nodes()).containsExactlyInAnyOrder("node-1", "node-2");
    assertThat(exchanges("node-1", "out", "timeout") + exchanges("node-1", "out", "unreachable"))
        .isPositive();
    JsonNode view = actuator("node-1", "/actuator/membership");
    assertThat(view.get("peers").get("active").asInt()).isEqualTo(2);
    assertThat(view.get("peers").get("dead").asInt()).isEqualTo(1);

    // node-3's certificate is still the CA's, but node-1 no longer admits it
    assertThatThrownBy(() -> exchange("node-3", "node-1", List.of()))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(TransportException.class);
    assertThat(exchange("node-2", "node-1", List.of()).peers())
        .filteredOn(p -> p.nodeId().equals("node-3"))
        .singleElement()
        .extracting(PeerEntry::status)
        .isEqualTo(NodeStatus.DEAD);
  }

  @Test
  void entriesWithAForeignCaOrAnotherNodesCertificateAreRefusedAndCounted() throws Exception {
    stopRegistry();
    awaitPeerMode(NODES);
    ClusterPki otherCluster =
        new ClusterPki(Files.createTempDirectory("other-cluster-").resolve("pki"));
    otherCluster.init(List.of("node-7"));
    double foreignBefore =
        counter("node-1", "node.peer.entries.refused", "reason", "untrusted_issuer");
    double mismatchBefore =
        counter("node-1", "node.peer.entries.refused", "reason", "name_mismatch");

    PeerExchangeReply reply =
        exchange(
            "node-2",
            "node-1",
            List.of(
                entry(
                    "node-7",
                    "127.0.0.1:7107",
                    PemFiles.toPem(otherCluster.loadIdentity("node-7").certificate())),
                entry("node-8", "127.0.0.1:7108", pem("node-2"))));

    assertThat(reply.nodeId()).isEqualTo("node-1");
    assertThat(reply.mode()).isEqualTo("peer");
    assertThat(reply.peers()).extracting(PeerEntry::nodeId).containsExactlyElementsOf(NODES);
    assertThat(membership("node-1").members()).doesNotContainKeys("node-7", "node-8");
    assertThat(membership("node-1").nodes()).doesNotContain("node-7", "node-8");
    assertThat(counter("node-1", "node.peer.entries.refused", "reason", "untrusted_issuer"))
        .isEqualTo(foreignBefore + 1);
    assertThat(counter("node-1", "node.peer.entries.refused", "reason", "name_mismatch"))
        .isEqualTo(mismatchBefore + 1);
  }

  @Test
  void theOrchestratorReadsTheListButCannotChangeIt() {
    stopRegistry();
    awaitPeerMode(NODES);
    String address = membership("node-1").members().get("node-3").quicAddress().orElseThrow();

    PeerExchangeReply reply =
        exchange("orchestrator", "node-1", List.of(entry("node-3", "127.0.0.1:1", pem("node-3"))));

    assertThat(reply.peers())
        .extracting(PeerEntry::nodeId)
        .containsExactlyInAnyOrderElementsOf(NODES);
    assertThat(reply.peers())
        .allSatisfy(p -> assertThat(PemFiles.parseCertificate(p.certificate())).isNotNull());
    assertThat(membership("node-1").members().get("node-3").quicAddress()).contains(address);
  }

  @Test
  void inRegistryModeANodesListIsAnsweredButNotMerged() {
    String address = membership("node-1").members().get("node-3").quicAddress().orElseThrow();

    PeerExchangeReply reply =
        exchange("node-2", "node-1", List.of(entry("node-3", "127.0.0.1:1", pem("node-3"))));

    assertThat(reply.mode()).isEqualTo("registry");
    assertThat(membership("node-1").mode()).isEqualTo(ClusterMembership.Mode.REGISTRY);
    assertThat(membership("node-1").members().get("node-3").quicAddress()).contains(address);
  }

  @Test
  void aListLongerThanTheLimitIsRefusedWholeAndCounted() {
    stopRegistry();
    awaitPeerMode(NODES);
    double before = counter("node-1", "node.peer.entries.refused", "reason", "too_many_entries");
    List<PeerEntry> flood = Collections.nCopies(257, entry("node-3", "127.0.0.1:1", pem("node-3")));

    assertThatThrownBy(() -> exchange("node-2", "node-1", flood))
        .hasCauseInstanceOf(TransportException.class)
        .cause()
        .satisfies(
            e ->
                assertThat(((TransportException) e).remoteCode())
                    .contains(ProtocolErrors.MALFORMED_REQUEST));
    assertThat(counter("node-1", "node.peer.entries.refused", "reason", "too_many_entries"))
        .isEqualTo(before + 1);
    assertThat(membership("node-1").members().get("node-3").quicAddress())
        .contains("127.0.0.1:" + QUIC_PORTS.get("node-3"));
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what + " " + describe());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static String describe() {
    Map<String, Object> state = new LinkedHashMap<>();
    RUNNING.forEach(
        (id, context) -> {
          ClusterMembership m = context.getBean(ClusterMembership.class);
          state.put(id, m.mode() + " " + m.countByStatus() + " admitted " + Set.copyOf(m.nodes()));
        });
    return state.toString();
  }

  private static int freeUdpPort() {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freeTcpPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
