package io.mpcw.node.quic;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.node.identity.TestPki;
import io.mpcw.node.registry.FakeRegistry;
import io.mpcw.node.registry.PeerCertificates;
import io.mpcw.node.vote.Payments;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.dkg.DkgPart1Request;
import io.mpcw.protocol.dkg.DkgPart2Request;
import io.mpcw.protocol.dkg.DkgPart3Request;
import io.mpcw.protocol.signing.PooledCommitment;
import io.mpcw.protocol.signing.Prevout;
import io.mpcw.protocol.signing.SignCommitRequest;
import io.mpcw.protocol.signing.SignPooledShareRequest;
import io.mpcw.protocol.signing.SignPrecommitRequest;
import io.mpcw.protocol.signing.SignShareRequest;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.frame.FrameAccumulator;
import io.mpcw.transport.frame.Frames;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.fuzz.HostileInputs;
import io.mpcw.transport.fuzz.RawQuicConnection;
import io.mpcw.transport.quic.QuicTls;
import io.mpcw.types.cluster.PeerExchangeRequest;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A bounded QUIC fuzz run against a real node (real QUIC + mTLS with certificates made at test
 * time, real etcd): a few hundred hostile requests over every routed message type, hostile types,
 * abused frames and unfinished streams, from a fixed seed. The node must keep serving, keep its
 * metric series bounded, never repeat input or name internals in a reply, and count refusals.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "mpcw.node.node-id=node-3",
      "mpcw.node.heartbeat-interval=200ms",
      "mpcw.node.quic-server.request-arrival-timeout=500ms"
    })
class HostilePeerFuzzTest {

  private static final long SEED = 20_261_204L;
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final TestPki PKI = TestPki.inTemporaryDirectory();
  private static final FakeRegistry REGISTRY = FakeRegistry.start(0, PKI.ca());
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();

  @Autowired NodeQuicServer server;
  @Autowired MeterRegistry meters;
  @Autowired PeerCertificates peers;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry properties) {
    REGISTRY.register("node-1", PKI.credentials("node-1").certificate());
    properties.add("mpcw.node.registry-url", REGISTRY::url);
    properties.add("mpcw.pki.dir", () -> PKI.dir().toString());
    properties.add("mpcw.node.quic-address", () -> "127.0.0.1:0");
    properties.add("mpcw.etcd.endpoints", ETCD::endpoints);
    properties.add("mpcw.etcd.prefix", ETCD::keyPrefix);
    // the node (node-3) uses its own etcd identity
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

  @BeforeEach
  void awaitPeerCertificates() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (peers.apply("node-1").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(peers.apply("node-1")).isPresent();
  }

  /** One valid sample per routed type: the fuzzer mutates these. */
  private static Map<String, String> samples() {
    UUID wallet = UUID.randomUUID();
    Map<String, String> samples = new LinkedHashMap<>();
    samples.put(VoteRequest.TYPE, text(VoteMessages.encode(Payments.payment(1_000))));
    samples.put(
        DkgPart1Request.TYPE,
        text(
            ProtocolMessages.encode(
                new DkgPart1Request(wallet, List.of("node-1", "node-2", "node-3"), 2))));
    samples.put(
        DkgPart2Request.TYPE, text(ProtocolMessages.encode(new DkgPart2Request(wallet, Map.of()))));
    samples.put(
        DkgPart3Request.TYPE,
        text(ProtocolMessages.encode(new DkgPart3Request(wallet, Map.of(), Map.of()))));
    samples.put(
        SignCommitRequest.TYPE,
        text(
            ProtocolMessages.encode(
                new SignCommitRequest(UUID.randomUUID(), wallet, UUID.randomUUID(), 1))));
    samples.put(
        SignShareRequest.TYPE,
        text(
            ProtocolMessages.encode(
                new SignShareRequest(
                    UUID.randomUUID(),
                    wallet,
                    UUID.randomUUID(),
                    "bcrt1q",
                    1_000,
                    "00",
                    List.of(new Prevout(2_000, "51")),
                    Map.of()))));
    samples.put(
        SignPrecommitRequest.TYPE,
        text(ProtocolMessages.encode(new SignPrecommitRequest(wallet, 0, 2))));
    samples.put(
        SignPooledShareRequest.TYPE,
        text(
            ProtocolMessages.encode(
                new SignPooledShareRequest(
                    UUID.randomUUID(),
                    wallet,
                    UUID.randomUUID(),
                    "bcrt1q",
                    1_000,
                    "00",
                    List.of(new Prevout(2_000, "51")),
                    Map.of("node-1", List.of(new PooledCommitment(UUID.randomUUID(), "00"))),
                    0))));
    samples.put(
        PeerExchangeRequest.TYPE,
        text(ProtocolMessages.encode(new PeerExchangeRequest(List.of()))));
    return samples;
  }

  @Test
  void hostileRequestsAreRefusedCountedNeverEchoedAndTheNodeKeepsServing() throws Exception {
    HostileInputs hostile = new HostileInputs(SEED);
    Endpoint endpoint = server.endpoint().orElseThrow();
    List<Envelope> errorReplies = new ArrayList<>();
    double malformedVotesBefore = counter("node.votes.refused", "reason", "malformed");
    int sent = 0;

    try (RawQuicConnection orchestrator = connect("orchestrator", endpoint);
        RawQuicConnection node = connect("node-1", endpoint)) {
      assertThat(validVote(orchestrator).getType()).isEqualTo(VoteResponse.TYPE);

      // every routed type, 30 hostile payloads each, as the orchestrator and (a few) as a peer
      for (Map.Entry<String, String> sample : samples().entrySet()) {
        List<byte[]> payloads = hostile.payloads(sample.getValue(), 30);
        for (int i = 0; i < payloads.size(); i++) {
          RawQuicConnection from = i % 10 == 9 ? node : orchestrator;
          errorReplies.add(exchange(from, hostile.frame(sample.getKey(), payloads.get(i))));
          sent++;
        }
      }
      // types nobody serves, up to 20,000 characters: one label, whatever the count
      Set<String> seriesBefore = transportSeries();
      for (int i = 0; i < 60; i++) {
        errorReplies.add(exchange(orchestrator, hostile.frame(hostile.type(20_000), bytes("{}"))));
        sent++;
      }
      Set<String> seriesAdded = transportSeries();
      seriesAdded.removeAll(seriesBefore);
      assertThat(seriesAdded)
          .hasSizeLessThanOrEqualTo(2)
          .allMatch(id -> id.contains("type=unknown"));
      // frames that break the framing
      double framesRefusedBefore = sum("transport_frames_refused_total");
      for (int i = 0; i < 40; i++) {
        errorReplies.add(exchange(orchestrator, hostile.abusedFrame(hostile.type(64))));
        sent++;
      }
      assertThat(sum("transport_frames_refused_total") - framesRefusedBefore).isEqualTo(40);
      // streams that never finish: refused at the arrival timeout
      double timedOutBefore = counter("transport_frames_refused_total", "reason", "timed_out");
      List<CompletableFuture<byte[]>> unfinished = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        // a frame announced at 1,000 bytes of which 10 come, and no FIN
        unfinished.add(
            orchestrator.exchange(ByteBuffer.allocate(4 + 10).putInt(1_000).array(), false));
        sent++;
      }
      for (CompletableFuture<byte[]> stream : unfinished) {
        errorReplies.add(decode(stream.get(WAIT.toSeconds(), TimeUnit.SECONDS)));
      }
      assertThat(counter("transport_frames_refused_total", "reason", "timed_out") - timedOutBefore)
          .isEqualTo(8);

      // the node still serves, on the same connection and on a new one
      assertThat(validVote(orchestrator).getType()).isEqualTo(VoteResponse.TYPE);
      try (RawQuicConnection fresh = connect("orchestrator", endpoint)) {
        assertThat(validVote(fresh).getType()).isEqualTo(VoteResponse.TYPE);
      }
      assertThat(sent).isGreaterThanOrEqualTo(300);
      assertThat(typeLabels())
          .allMatch(type -> server.handlerTypes().contains(type) || type.equals("unknown"));
    }

    List<Envelope> errors = errorReplies.stream().filter(Envelope::hasError).toList();
    assertThat(errors).hasSizeGreaterThan(250);
    assertThat(errors)
        .noneMatch(reply -> HostileInputs.leaks(reply.toString()))
        .allMatch(reply -> reply.getError().getMessage().length() < 300);
    assertThat(counter("node.votes.refused", "reason", "malformed") - malformedVotesBefore)
        .isGreaterThanOrEqualTo(20);
    // the refusal logs hit their rate limit, and what they did not write is counted
    assertThat(sum("log_lines_suppressed_total")).isPositive();
  }

  private Envelope validVote(RawQuicConnection connection) throws Exception {
    return exchange(
        connection,
        new HostileInputs(1).frame(VoteRequest.TYPE, VoteMessages.encode(Payments.payment(1_000))));
  }

  private static Envelope exchange(RawQuicConnection connection, byte[] frame) throws Exception {
    return decode(connection.exchange(frame, true).get(WAIT.toSeconds(), TimeUnit.SECONDS));
  }

  private static RawQuicConnection connect(String identity, Endpoint endpoint) throws Exception {
    return new RawQuicConnection(
        QuicTls.clientContext(
            PKI.credentials(identity),
            PKI.ca(),
            new TransportMetrics(new SimpleMeterRegistry()),
            Clock.systemUTC()),
        endpoint.socketAddress(),
        WAIT);
  }

  private static Envelope decode(byte[] answer) throws Exception {
    try (FrameAccumulator frame =
        new FrameAccumulator(Frames.DEFAULT_MAX_FRAME_BYTES, UnpooledByteBufAllocator.DEFAULT)) {
      frame.append(Unpooled.wrappedBuffer(answer));
      return frame.finish();
    }
  }

  private Set<String> transportSeries() {
    return meters.getMeters().stream()
        .map(Meter::getId)
        .filter(id -> id.getName().startsWith("transport_request"))
        .map(Meter.Id::toString)
        .collect(Collectors.toCollection(java.util.HashSet::new));
  }

  private Set<String> typeLabels() {
    return meters.find("transport_requests_total").counters().stream()
        .map(c -> c.getId().getTag("type"))
        .collect(Collectors.toSet());
  }

  private double counter(String name, String tag, String value) {
    Counter counter = meters.find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  private double sum(String name) {
    return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
