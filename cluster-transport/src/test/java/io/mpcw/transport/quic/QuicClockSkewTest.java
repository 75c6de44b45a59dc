package io.mpcw.transport.quic;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.transport.Endpoint;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.proto.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A request's time budget must not depend on the two ends' wall clocks agreeing: with the sender 30
 * s behind, an absolute deadline is already past when it arrives and every request was refused with
 * DEADLINE_EXCEEDED; with the sender 30 s ahead, the server held requests 30 s longer than the
 * sender waits. Real QUIC and mTLS on loopback; only the sender's clock is moved.
 */
class QuicClockSkewTest {
  private static final Duration BUDGET = Duration.ofSeconds(5);

  @Test
  void aSenderWhoseClockIsThirtySecondsBehindIsServed() throws Exception {
    try (QuicFixture quic = new QuicFixture()) {
      Endpoint server = quic.echoServer("node-1");
      QuicTransportClient behind = skewedClient(quic, Duration.ofSeconds(-30));

      Envelope reply = behind.request(server, "ping", utf8("hi"), BUDGET).get(10, TimeUnit.SECONDS);

      assertThat(reply.hasError()).as(reply.getError().getMessage()).isFalse();
      assertThat(reply.getPayload().toStringUtf8()).isEqualTo("hi");
    }
  }

  @Test
  void theServerCountsTheBudgetOfASenderThirtySecondsAheadOnItsOwnClock() throws Exception {
    AtomicLong remainingSeenByHandler = new AtomicLong();
    RequestHandler remaining =
        (peer, request) -> {
          remainingSeenByHandler.set(request.getDeadlineUnixMs() - System.currentTimeMillis());
          return CompletableFuture.completedFuture(Envelopes.reply(request, "left", utf8("ok")));
        };
    try (QuicFixture quic = new QuicFixture()) {
      Endpoint server =
          quic.server(quic.pki.identity("node-1"), TransportSettings.defaults()).start(remaining);
      QuicTransportClient ahead = skewedClient(quic, Duration.ofSeconds(30));

      Envelope reply = ahead.request(server, "left", utf8("x"), BUDGET).get(10, TimeUnit.SECONDS);

      assertThat(reply.hasError()).isFalse();
      // the handler sees the deadline on the server's clock: at most the budget, not 35 s
      assertThat(remainingSeenByHandler.get()).isPositive().isLessThanOrEqualTo(BUDGET.toMillis());
    }
  }

  private static QuicTransportClient skewedClient(QuicFixture quic, Duration skew) {
    return quic.track(
        new QuicTransportClient(
            quic.pki.identity("orchestrator"),
            quic.pki.ca.certificate(),
            TransportSettings.defaults(),
            quic.clientRegistry,
            Clock.offset(Clock.systemUTC(), skew)));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
