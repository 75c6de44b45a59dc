package io.mpcw.transport.quic;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.transport.TransportMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AddressTokensTest {

  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40_000);
  private static final byte[] CONNECTION_ID = {1, 2, 3, 4, 5, 6, 7, 8};

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MutableClock clock = new MutableClock();
  private final AddressTokens tokens =
      new AddressTokens(Duration.ofSeconds(10), clock, new TransportMetrics(registry));

  @Test
  void acceptsItsOwnTokenFromTheSameAddressAndPointsAtTheConnectionId() {
    ByteBuf token = token();

    int offset = tokens.validateToken(token, CLIENT);

    assertThat(offset).isPositive();
    byte[] id = new byte[token.readableBytes() - offset];
    token.getBytes(offset, id);
    assertThat(id).isEqualTo(CONNECTION_ID);
  }

  @Test
  void refusesTheTokenFromAnotherAddressOrPort() {
    ByteBuf token = token();

    assertThat(tokens.validateToken(token, new InetSocketAddress("127.0.0.2", 40_000)))
        .isEqualTo(-1);
    assertThat(tokens.validateToken(token, new InetSocketAddress("127.0.0.1", 40_001)))
        .isEqualTo(-1);
    assertThat(invalidTokens()).isEqualTo(2);
  }

  @Test
  void refusesAnExpiredToken() {
    ByteBuf token = token();
    clock.advance(Duration.ofSeconds(11));

    assertThat(tokens.validateToken(token, CLIENT)).isEqualTo(-1);
    assertThat(invalidTokens()).isEqualTo(1);
  }

  @Test
  void refusesAnAlteredTokenOrConnectionId() {
    ByteBuf token = token();
    ByteBuf otherId = token.copy();
    otherId.setByte(otherId.writerIndex() - 1, 99);
    ByteBuf otherTime = token.copy();
    otherTime.setLong(0, clock.millis() - 1);

    assertThat(tokens.validateToken(otherId, CLIENT)).isEqualTo(-1);
    assertThat(tokens.validateToken(otherTime, CLIENT)).isEqualTo(-1);
    assertThat(invalidTokens()).isEqualTo(2);
  }

  @Test
  void refusesTheUnauthenticatedTokenNettysInsecureHandlerWrites() {
    ByteBuf insecure = Unpooled.buffer();
    insecure.writeBytes("netty".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    insecure.writeBytes(CLIENT.getAddress().getAddress());
    insecure.writeBytes(CONNECTION_ID);

    assertThat(tokens.validateToken(insecure, CLIENT)).isEqualTo(-1);
    assertThat(tokens.validateToken(Unpooled.buffer(), CLIENT)).isEqualTo(-1);
  }

  @Test
  void aTokenFitsTheAnnouncedMaximumLength() {
    ByteBuf out = Unpooled.buffer();
    tokens.writeToken(out, Unpooled.wrappedBuffer(new byte[20]), CLIENT);

    assertThat(out.readableBytes()).isLessThanOrEqualTo(tokens.maxTokenLength());
  }

  private ByteBuf token() {
    ByteBuf out = Unpooled.buffer();
    assertThat(tokens.writeToken(out, Unpooled.wrappedBuffer(CONNECTION_ID), CLIENT)).isTrue();
    return out;
  }

  private double invalidTokens() {
    var counter =
        registry
            .find("transport_handshakes_refused_total")
            .tag("reason", "invalid_token")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-12-04T21:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
