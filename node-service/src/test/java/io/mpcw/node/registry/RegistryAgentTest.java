package io.mpcw.node.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.node.NodeProperties;
import io.mpcw.node.load.CpuLoad;
import io.mpcw.node.session.InFlightSessions;
import io.mpcw.transport.pki.ClusterPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.client.RestClient;

@ExtendWith(OutputCaptureExtension.class)
class RegistryAgentTest {
  private static final ClusterPki PKI = testPki();

  private static ClusterPki testPki() {
    try {
      ClusterPki pki = new ClusterPki(Files.createTempDirectory("agent-pki-").resolve("pki"));
      pki.init(List.of("node-7"));
      return pki;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofMillis(400);

  private final MeterRegistry meters = new SimpleMeterRegistry();
  private final InFlightSessions sessions = new InFlightSessions();
  private FakeRegistry registry;
  private final ClusterMembership membership = new ClusterMembership();

  @AfterEach
  void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void registersFirstThenHeartbeatsWithLoadSignedAsItself() {
    registry = FakeRegistry.start(0, PKI.caCertificate());
    RegistryAgent agent = agent(registry.url());
    InFlightSessions.Session session = sessions.begin();
    sessions.begin();

    assertThat(agent.tick()).isEqualTo(INTERVAL);
    assertThat(agent.tick()).isEqualTo(INTERVAL);
    session.close();
    agent.tick();

    assertThat(registry.requests("POST")).hasSize(1);
    assertThat(registry.requests("POST").get(0).body())
        .contains("\"node_id\":\"node-7\"")
        .contains("\"quic_address\":\"127.0.0.1:7107\"")
        .contains("\"management_url\":\"http://127.0.0.1:8107\"")
        .contains("\"version\":\"1.2.3\"");
    assertThat(registry.requests("PUT")).hasSize(2);
    assertThat(registry.requests("PUT").get(0).path())
        .isEqualTo("/api/v1/cluster/nodes/node-7/heartbeat");
    assertThat(registry.requests("PUT").get(0).body())
        .contains("\"in_flight_sessions\":2")
        .contains("\"cpu_load\":");
    assertThat(registry.requests("PUT").get(1).body()).contains("\"in_flight_sessions\":1");
    assertThat(registry.requests()).allMatch(r -> r.signer().equals("node-7"));
    assertThat(registry.listReads()).isPositive();
    assertThat(membership.nodes()).containsExactly("node-7");
    assertThat(heartbeats("registered")).isEqualTo(1);
    assertThat(heartbeats("ok")).isEqualTo(2);
    assertThat(reachable()).isEqualTo(1);
  }

  @Test
  void registersAgainWhenTheRegistryAnswers404() {
    registry = FakeRegistry.start(0, PKI.caCertificate());
    RegistryAgent agent = agent(registry.url());
    agent.tick();
    registry.forget("node-7");

    assertThat(agent.tick()).isEqualTo(INTERVAL);

    assertThat(registry.knows("node-7")).isTrue();
    assertThat(registry.requests().stream().map(FakeRegistry.Request::method))
        .containsExactly("POST", "PUT", "POST");
    assertThat(heartbeats("reregistered")).isEqualTo(1);
    agent.tick();
    assertThat(registry.requests("PUT")).hasSize(2);
  }

  @Test
  void keepsRunningWhileTheRegistryIsDownAndResumes(CapturedOutput output) throws IOException {
    int port = freePort();
    RegistryAgent agent = agent("http://127.0.0.1:" + port);

    assertThat(agent.tick()).isEqualTo(Duration.ofMillis(100));
    assertThat(agent.tick()).isEqualTo(Duration.ofMillis(200));
    assertThat(agent.tick()).isEqualTo(Duration.ofMillis(400));
    assertThat(agent.tick()).isEqualTo(MAX_BACKOFF);
    assertThat(heartbeats("unreachable")).isEqualTo(4);
    assertThat(reachable()).isZero();
    assertThat(output.getOut().split("unreachable, node keeps running", -1)).hasSize(2);

    registry = FakeRegistry.start(port, PKI.caCertificate());
    assertThat(agent.tick()).isEqualTo(INTERVAL);
    agent.tick();

    assertThat(agent.isRegistered()).isTrue();
    assertThat(registry.requests().stream().map(FakeRegistry.Request::method))
        .containsExactly("POST", "PUT");
    assertThat(reachable()).isEqualTo(1);
    assertThat(output.getOut()).contains("answers again after 4 failed attempt(s)");
  }

  @Test
  void outageAfterRegistrationIsRetriedWithHeartbeats() throws IOException {
    registry = FakeRegistry.start(0, PKI.caCertificate());
    int port = Integer.parseInt(registry.url().substring(registry.url().lastIndexOf(':') + 1));
    RegistryAgent agent = agent(registry.url());
    agent.tick();
    registry.close();

    assertThat(agent.tick()).isEqualTo(Duration.ofMillis(100));
    assertThat(agent.tick()).isEqualTo(Duration.ofMillis(200));
    registry = FakeRegistry.start(port, PKI.caCertificate());
    agent.tick();

    // the restarted registry lost its state: 404, then the node registers again
    assertThat(registry.requests().stream().map(FakeRegistry.Request::method))
        .containsExactly("PUT", "POST");
    assertThat(registry.knows("node-7")).isTrue();
  }

  @Test
  void refusalByARegistryOfAnotherClusterIsReportedOnceAndRetried(CapturedOutput output)
      throws Exception {
    ClusterPki otherCluster =
        new ClusterPki(Files.createTempDirectory("other-cluster-").resolve("pki"));
    otherCluster.init(List.of("node-7"));
    registry = FakeRegistry.start(0, otherCluster.caCertificate());
    RegistryAgent agent = agent(registry.url());

    agent.tick();
    agent.tick();

    assertThat(heartbeats("rejected")).isEqualTo(2);
    assertThat(agent.isRegistered()).isFalse();
    assertThat(output.getOut().split("refused this node", -1)).hasSize(2);
    assertThat(output.getOut()).doesNotContain("X-Mpcw-Signature").doesNotContain("PRIVATE KEY");
  }

  @Test
  void runsOnItsOwnScheduleAndDeregistersOnStop() throws Exception {
    registry = FakeRegistry.start(0, PKI.caCertificate());
    RegistryAgent agent = agent(registry.url());

    agent.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (registry.requests("PUT").size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    agent.stop();

    assertThat(registry.requests("PUT")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(registry.requests("DELETE")).hasSize(1);
    assertThat(registry.requests("DELETE").get(0).path()).isEqualTo("/api/v1/cluster/nodes/node-7");
    assertThat(registry.knows("node-7")).isFalse();
    assertThat(agent.isRunning()).isFalse();
  }

  @Test
  void entersPeerModeOnlyAfterTwoUnreachableAttemptsInARow() {
    registry = FakeRegistry.start(0, PKI.caCertificate());
    int port = Integer.parseInt(registry.url().substring(registry.url().lastIndexOf(':') + 1));
    RegistryAgent agent = agent(registry.url());
    agent.tick();
    registry.close();

    agent.tick();
    assertThat(membership.mode()).isEqualTo(ClusterMembership.Mode.REGISTRY);
    registry = FakeRegistry.start(port, PKI.caCertificate());
    agent.tick();
    registry.close();
    agent.tick();
    assertThat(membership.mode()).isEqualTo(ClusterMembership.Mode.REGISTRY);
    agent.tick();

    assertThat(membership.mode()).isEqualTo(ClusterMembership.Mode.PEER);
    assertThat(membership.nodes()).containsExactly("node-7");
  }

  @Test
  void returnsToRegistryModeWithTheRegistrysListWhenItAnswersAgain() {
    registry = FakeRegistry.start(0, PKI.caCertificate());
    int port = Integer.parseInt(registry.url().substring(registry.url().lastIndexOf(':') + 1));
    RegistryAgent agent = agent(registry.url());
    agent.tick();
    registry.close();
    agent.tick();
    agent.tick();
    assertThat(membership.mode()).isEqualTo(ClusterMembership.Mode.PEER);

    registry = FakeRegistry.start(port, PKI.caCertificate());
    registry.register("node-8", PKI.loadIdentity("node-7").certificate());
    agent.tick();

    // the restarted registry had forgotten this node: it registered again, then read the list
    assertThat(registry.knows("node-7")).isTrue();
    assertThat(membership.mode()).isEqualTo(ClusterMembership.Mode.REGISTRY);
    assertThat(membership.nodes()).containsExactlyInAnyOrder("node-7", "node-8");
  }

  @Test
  void aRegistryThatRefusesTheNodeDoesNotStartPeerMode() throws Exception {
    ClusterPki otherCluster =
        new ClusterPki(Files.createTempDirectory("other-cluster-").resolve("pki"));
    otherCluster.init(List.of("node-7"));
    registry = FakeRegistry.start(0, otherCluster.caCertificate());
    RegistryAgent agent = agent(registry.url());

    agent.tick();
    agent.tick();
    agent.tick();

    assertThat(membership.mode()).isEqualTo(ClusterMembership.Mode.REGISTRY);
  }

  private RegistryAgent agent(String registryUrl) {
    NodeProperties properties =
        new NodeProperties(
            "node-7",
            "127.0.0.1:7107",
            "",
            "http://127.0.0.1:8107",
            URI.create(registryUrl),
            INTERVAL,
            MAX_BACKOFF,
            Duration.ofSeconds(2),
            "1.2.3");
    RegistryClient client =
        new RegistryClient(
            RestClient.builder(),
            properties.registryUrl(),
            properties.requestTimeout(),
            PKI.loadIdentity("node-7"));
    return new RegistryAgent(
        client,
        new RegistryClientMetrics(meters),
        properties,
        () -> URI.create("http://127.0.0.1:8107"),
        new CpuLoad(),
        sessions,
        membership,
        2);
  }

  private double heartbeats(String outcome) {
    return meters.get("node.registry.heartbeats").tag("outcome", outcome).counter().count();
  }

  private double reachable() {
    return meters.get("node.registry.reachable").gauge().value();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
