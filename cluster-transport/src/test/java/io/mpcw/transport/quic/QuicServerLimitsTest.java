package io.mpcw.transport.quic;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.ErrorCodes;
import io.mpcw.transport.frame.FrameAccumulator;
import io.mpcw.transport.frame.Frames;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a connected peer can hold on a server is bounded in time, bytes, connections and labels. */
class QuicServerLimitsTest {

  private static final Duration ARRIVAL = Duration.ofMillis(300);
  private static final RequestHandler PING =
      new RequestHandler() {
        @Override
        public CompletableFuture<Envelope> handle(PeerIdentity peer, Envelope request) {
          return CompletableFuture.completedFuture(
              request.getType().equals("ping")
                  ? Envelopes.reply(request, "pong", request.getPayload())
                  : Envelopes.error(request, "UNSUPPORTED_TYPE", "not served here"));
        }

        @Override
        public Set<String> types() {
          return Set.of("ping");
        }
      };

  private final QuicFixture fx = new QuicFixture();

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  private Endpoint server(TransportSettings settings) {
    return fx.server(fx.pki.identity("node-1"), settings).start(PING);
  }

  private RawQuicStream connect(Endpoint server) throws Exception {
    return fx.track(
        new RawQuicStream(fx.pki.identity("orchestrator"), fx.pki.ca.certificate(), server));
  }

  @Test
  void requestWithoutFinIsRefusedAfterTheArrivalTimeoutAndCounted() throws Exception {
    Endpoint server = server(TransportSettings.defaults().withRequestArrivalTimeout(ARRIVAL));
    RawQuicStream raw = connect(server);

    Envelope reply = decode(raw.exchange(ping(1), false).get(5, TimeUnit.SECONDS));

    assertThat(reply.getError().getCode()).isEqualTo(ErrorCodes.REQUEST_INCOMPLETE);
    assertThat(frameRefusals("timed_out")).isEqualTo(1);
    assertThat(decode(raw.exchange(ping(2)).get(5, TimeUnit.SECONDS)).getType()).isEqualTo("pong");
  }

  @Test
  void halfSentFrameIsRefusedAfterTheArrivalTimeout() throws Exception {
    Endpoint server = server(TransportSettings.defaults().withRequestArrivalTimeout(ARRIVAL));
    RawQuicStream raw = connect(server);
    byte[] half = ByteBuffer.allocate(4 + 100).putInt(1000).array();

    Envelope reply = decode(raw.exchange(half, false).get(5, TimeUnit.SECONDS));

    assertThat(reply.getError().getCode()).isEqualTo(ErrorCodes.REQUEST_INCOMPLETE);
    assertThat(frameRefusals("timed_out")).isEqualTo(1);
  }

  @Test
  void streamOverTheConnectionsByteBudgetIsRefusedAndTheBudgetComesBack() throws Exception {
    // room for two half-sent 1000-byte frames, not three
    Endpoint server =
        server(
            TransportSettings.defaults()
                .withMaxFrameBytes(1024)
                .withMaxBufferedBytesPerConnection(1100));
    RawQuicStream raw = connect(server);
    byte[] part = ByteBuffer.allocate(4 + 500).putInt(1000).array();

    CompletableFuture<byte[]> first = raw.exchange(part, false);
    CompletableFuture<byte[]> second = raw.exchange(part, false);
    Thread.sleep(200); // both are buffered before the third arrives
    Envelope third = decode(raw.exchange(part, false).get(5, TimeUnit.SECONDS));

    assertThat(third.getError().getCode()).isEqualTo(ErrorCodes.OVERLOADED);
    assertThat(frameRefusals("over_budget")).isEqualTo(1);
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
    raw.close(); // the held streams go, and their bytes with them
    RawQuicStream again = connect(server);
    assertThat(decode(again.exchange(ping(3)).get(5, TimeUnit.SECONDS)).getType())
        .isEqualTo("pong");
  }

  @Test
  void connectionBeyondThePeersMaximumIsClosedAndCounted() throws Exception {
    Endpoint server = server(TransportSettings.defaults().withMaxConnectionsPerPeer(2));
    RawQuicStream one = connect(server);
    RawQuicStream two = connect(server);
    assertThat(decode(one.exchange(ping(1)).get(5, TimeUnit.SECONDS)).getType()).isEqualTo("pong");
    assertThat(decode(two.exchange(ping(2)).get(5, TimeUnit.SECONDS)).getType()).isEqualTo("pong");

    RawQuicStream three = connect(server);
    byte[] refused =
        three
            .exchange(ping(3))
            .handle((bytes, failure) -> bytes == null ? new byte[0] : bytes)
            .get(5, TimeUnit.SECONDS);

    assertThat(refused).isEmpty();
    assertThat(
            fx.count(
                fx.serverRegistry,
                "transport_connections_refused_total",
                "reason",
                "too_many_per_peer"))
        .isEqualTo(1);
    one.close();
    // once the server has seen the close, a new connection of the same peer is served again
    byte[] served = new byte[0];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (served.length == 0 && System.nanoTime() < deadline) {
      RawQuicStream four = connect(server);
      served =
          four.exchange(ping(4))
              .handle((bytes, failure) -> bytes == null ? new byte[0] : bytes)
              .get(5, TimeUnit.SECONDS);
      if (served.length == 0) {
        four.close();
        Thread.sleep(100);
      }
    }
    assertThat(decode(served).getType()).isEqualTo("pong");
  }

  @Test
  void typesTheHandlerDoesNotServeShareOneLabelAndAreNotEchoed() throws Exception {
    Endpoint server = server(TransportSettings.defaults());
    RawQuicStream raw = connect(server);
    assertThat(decode(raw.exchange(ping(1)).get(5, TimeUnit.SECONDS)).getType()).isEqualTo("pong");
    int seriesBefore = transportSeries();
    Random random = new Random(7);
    List<String> replies = new ArrayList<>();

    for (int i = 0; i < 40; i++) {
      String hostile = "x" + Long.toHexString(random.nextLong()) + "y".repeat(random.nextInt(2000));
      Envelope request =
          Envelopes.request(hostile, i, Instant.now().plusSeconds(5), new byte[] {1});
      Envelope reply = decode(raw.exchange(Frames.encode(request)).get(5, TimeUnit.SECONDS));
      replies.add(reply.toString());
      assertThat(reply.getType()).isEmpty();
    }

    // one more series pair: outcome remote_error for "unknown", and its latency timer
    assertThat(transportSeries()).isLessThanOrEqualTo(seriesBefore + 2);
    assertThat(fx.serverRegistry.find("transport_requests_total").tag("type", "unknown").counter())
        .isNotNull();
    assertThat(String.join("", replies)).doesNotContain("yyyy");
  }

  private int transportSeries() {
    return (int)
        fx.serverRegistry.getMeters().stream()
            .map(Meter::getId)
            .filter(id -> id.getName().startsWith("transport_request"))
            .count();
  }

  private double frameRefusals(String reason) {
    return fx.count(fx.serverRegistry, "transport_frames_refused_total", "reason", reason);
  }

  private static byte[] ping(long id) {
    return Frames.encode(
        Envelopes.request(
            "ping", id, Instant.now().plusSeconds(5), "hi".getBytes(StandardCharsets.UTF_8)));
  }

  private static Envelope decode(byte[] answer) throws Exception {
    try (FrameAccumulator frame =
        new FrameAccumulator(Frames.DEFAULT_MAX_FRAME_BYTES, UnpooledByteBufAllocator.DEFAULT)) {
      frame.append(Unpooled.wrappedBuffer(answer));
      return frame.finish();
    }
  }
}
