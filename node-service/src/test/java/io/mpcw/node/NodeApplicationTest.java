package io.mpcw.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.node.identity.TestPki;
import io.mpcw.node.quic.NodeQuicServer;
import io.mpcw.node.registry.FakeRegistry;
import io.mpcw.node.vote.Payments;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.quic.QuicTransportClient;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"mpcw.node.node-id=node-3", "mpcw.node.heartbeat-interval=200ms"})
@AutoConfigureObservability(tracing = false)
class NodeApplicationTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final TestPki PKI = TestPki.inTemporaryDirectory();
  private static final FakeRegistry REGISTRY = FakeRegistry.start(0, PKI.ca());
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();

  @LocalServerPort int port;
  @Autowired NodeQuicServer quicServer;

  @DynamicPropertySource
  static void registry(DynamicPropertyRegistry properties) {
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
  static void stopRegistry() {
    REGISTRY.close();
    PKI.delete();
  }

  @Test
  void votesOverQuicWithTheNodesCertificateAndExportsVoteMetrics() throws Exception {
    try (QuicTransportClient orchestrator =
        new QuicTransportClient(
            PKI.credentials("orchestrator"),
            PKI.ca(),
            TransportSettings.defaults(),
            new SimpleMeterRegistry(),
            Clock.systemUTC())) {
      Endpoint endpoint = quicServer.endpoint().orElseThrow();
      assertThat(endpoint.identity()).isEqualTo("node-3");

      Envelope reply =
          orchestrator
              .request(
                  endpoint,
                  VoteRequest.TYPE,
                  VoteMessages.encode(Payments.payment(25_000)),
                  Duration.ofSeconds(5))
              .join();

      VoteResponse response =
          VoteMessages.decode(reply.getPayload().toByteArray(), VoteResponse.class);
      assertThat(response.outcome()).isEqualTo("counted");
      assertThat(response.vote().nodeId()).isEqualTo("node-3");
    }
    String prometheus = get("/actuator/prometheus").body();
    assertThat(prometheus)
        .contains("node_votes_cast_total{")
        .contains("decision=\"approve\"")
        .contains("node_votes_refused_total{")
        .contains("reason=\"etcd_unavailable\"")
        .contains("node_vote_seconds_count{");
  }

  @Test
  void startsRegistersAndServesHealthAndPrometheus() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (REGISTRY.requests("PUT").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }

    assertThat(REGISTRY.knows("node-3")).isTrue();
    assertThat(REGISTRY.requests("POST").get(0).signer()).isEqualTo("node-3");
    assertThat(REGISTRY.requests("POST").get(0).body())
        .contains("\"management_url\":\"http://127.0.0.1:" + port + "\"");
    assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    HttpResponse<String> prometheus = get("/actuator/prometheus");
    assertThat(prometheus.statusCode()).isEqualTo(200);
    assertThat(prometheus.body())
        .contains("node_registry_heartbeats_total{")
        .contains("outcome=\"registered\"")
        .contains("node_registry_reachable{")
        .contains("node_signing_sessions{")
        .contains("node_wallet_shares{")
        .contains("node_signing_duration_seconds_bucket{");
  }

  @Test
  void runsItsEtcdRetentionSweeperOutOfTheBoxAndExportsItsMetrics() throws Exception {
    String prometheus = get("/actuator/prometheus").body();
    assertThat(prometheus)
        .containsPattern("etcd_records_pruned_total\\{[^}]*kind=\"votes\"")
        .containsPattern("etcd_records_pruned_total\\{[^}]*kind=\"locks\"")
        .containsPattern("etcd_records_pruned_total\\{[^}]*kind=\"shares\"")
        .containsPattern("etcd_retention_failures_total\\{[^}]*kind=\"revision\"")
        .doesNotContainPattern("etcd_records_pruned_total\\{[^}]*kind=\"revision\"")
        .contains("etcd_retention_cutoff_revision{");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
