package io.mpcw.launcher.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.CertificateIssuer;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.transport.quic.QuicTransportServer;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The fuzz client against a real QUIC + mTLS server with certificates made at test time. */
class QuicFuzzTest {

  private static final Instant NOW = Instant.now();
  private final CertificateIssuer issuer = new CertificateIssuer();
  private final IdentityCredentials ca =
      issuer.createCa(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));

  /** Refuses everything but the read-only probe, as a node refuses the fuzzer's payloads. */
  private static final RequestHandler NODE_LIKE =
      new RequestHandler() {
        @Override
        public CompletableFuture<Envelope> handle(PeerIdentity peer, Envelope request) {
          boolean probe =
              request.getType().equals("peers.exchange.v1")
                  && request.getPayload().toStringUtf8().equals("{\"peers\":[]}");
          return CompletableFuture.completedFuture(
              probe
                  ? Envelopes.reply(request, "peers.exchange.reply.v1", new byte[] {'{', '}'})
                  : Envelopes.error(request, "MALFORMED_REQUEST", "not valid"));
        }

        @Override
        public Set<String> types() {
          return Set.of("peers.exchange.v1", "vote.request.v1");
        }
      };

  private IdentityCredentials identity(String name) {
    return issuer.issue(ca, name, List.of(), NOW.minus(Duration.ofHours(1)), NOW.plusSeconds(3600));
  }

  @Test
  void runsItsRequestsAndReportsRefusalsByCodeAndThatTheNodeStillServes() throws Exception {
    try (QuicTransportServer server =
        new QuicTransportServer(
            identity("node-1"),
            ca.certificate(),
            IdentityPolicy.anyOf(Set.of("orchestrator")),
            new InetSocketAddress("127.0.0.1", 0),
            TransportSettings.defaults().withRequestArrivalTimeout(Duration.ofMillis(300)),
            new SimpleMeterRegistry(),
            Clock.systemUTC())) {
      Endpoint endpoint = server.start(NODE_LIKE);
      QuicFuzz fuzz =
          new QuicFuzz(
              identity("orchestrator"),
              ca.certificate(),
              List.of(
                  new QuicFuzz.Target("node-1", endpoint.socketAddress(), "http://127.0.0.1:1")),
              42,
              Duration.ofSeconds(60));

      QuicFuzzReport report = fuzz.run(100);

      assertThat(report.sent()).isEqualTo(100);
      assertThat(report.refusedByCode())
          .containsKeys("MALFORMED_REQUEST", "REQUEST_INCOMPLETE")
          .containsKey("MALFORMED_FRAME");
      assertThat(report.accepted()).isZero();
      assertThat(report.leaks()).isZero();
      assertThat(report.stillServing()).isTrue();
      assertThat(report.nodes()).singleElement().satisfies(n -> assertThat(n.after()).isEmpty());
      assertThat(report.render()).contains("100 sent").contains("node-1");
    }
  }

  @Test
  void refusesTargetsOutsideLoopback() {
    assertThatThrownBy(
            () ->
                new QuicFuzz.Target(
                    "node-1", new InetSocketAddress("192.0.2.1", 7101), "http://192.0.2.1:8101"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsSeriesHeapAndDirectMemoryFromAPrometheusPage() {
    String page =
        "# HELP jvm_memory_used_bytes The amount of used memory\n"
            + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1048576.0\n"
            + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 2097152.0\n"
            + "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 999.0\n"
            + "jvm_buffer_memory_used_bytes{id=\"direct\"} 4096.0\n"
            + "transport_requests_total{type=\"unknown\"} 3.0\n"
            + "transport_request_seconds_bucket{type=\"unknown\",le=\"0.001\"} 3.0\n"
            + "transport_request_seconds_bucket{type=\"unknown\",le=\"+Inf\"} 3.0\n"
            + "transport_request_seconds_count{type=\"unknown\"} 3.0\n";

    NodeMemory memory = NodeMemory.parse(page);

    assertThat(memory.metricSeries()).isEqualTo(6);
    assertThat(memory.heapBytes()).isEqualTo(3_145_728L);
    assertThat(memory.directBytes()).isEqualTo(4096L);
  }
}
