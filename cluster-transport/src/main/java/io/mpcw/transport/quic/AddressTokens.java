package io.mpcw.transport.quic;

import io.mpcw.transport.TransportMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.incubator.codec.quic.QuicTokenHandler;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * QUIC address validation (RFC 9000 §8.1) with tokens a client cannot forge: the server answers a
 * first Initial with a Retry carrying {@code issued-at ‖ HMAC-SHA256(key, issued-at ‖ address ‖
 * port ‖ original connection id) ‖ original connection id}, and accepts a connection only with a
 * token it made for that very address within the last {@link #DEFAULT_LIFETIME}. The key is drawn
 * per process and never leaves it, so a restart invalidates outstanding tokens (clients then get a
 * new Retry). Netty's {@code InsecureQuicTokenHandler} writes the address in clear and checks
 * nothing, which lets anyone spoof a source address past validation.
 */
final class AddressTokens implements QuicTokenHandler {

  /** A Retry token is used one round trip after it is made; anything older is a replay. */
  static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(10);

  private static final int TIME_BYTES = Long.BYTES;
  private static final int MAC_BYTES = 32;
  private static final int HEADER_BYTES = TIME_BYTES + MAC_BYTES;

  /** RFC 9000 §17.2: connection ids are at most 20 bytes. */
  private static final int MAX_CONNECTION_ID_BYTES = 20;

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final Duration lifetime;
  private final Clock clock;
  private final TransportMetrics metrics;

  AddressTokens(Duration lifetime, Clock clock, TransportMetrics metrics) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, ALGORITHM);
    this.lifetime = lifetime;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
    long issuedAt = clock.millis();
    out.writeLong(issuedAt);
    out.writeBytes(mac(issuedAt, address, dcid, dcid.readerIndex(), dcid.readableBytes()));
    out.writeBytes(dcid, dcid.readerIndex(), dcid.readableBytes());
    return true;
  }

  @Override
  public int validateToken(ByteBuf token, InetSocketAddress address) {
    int start = token.readerIndex();
    int idLength = token.readableBytes() - HEADER_BYTES;
    if (idLength < 0 || idLength > MAX_CONNECTION_ID_BYTES) {
      return refused();
    }
    long issuedAt = token.getLong(start);
    long age = clock.millis() - issuedAt;
    if (age < 0 || age > lifetime.toMillis()) {
      return refused();
    }
    byte[] presented = new byte[MAC_BYTES];
    token.getBytes(start + TIME_BYTES, presented);
    byte[] expected = mac(issuedAt, address, token, start + HEADER_BYTES, idLength);
    if (!MessageDigest.isEqual(presented, expected)) {
      return refused();
    }
    return HEADER_BYTES;
  }

  @Override
  public int maxTokenLength() {
    return HEADER_BYTES + MAX_CONNECTION_ID_BYTES;
  }

  private int refused() {
    // netty drops the packet; the count is the only trace a forged or stale token leaves
    metrics.handshakeRefused(HandshakeRefusals.INVALID_TOKEN);
    return -1;
  }

  private byte[] mac(
      long issuedAt, InetSocketAddress address, ByteBuf id, int idOffset, int idLength) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      byte[] header = new byte[TIME_BYTES];
      for (int i = 0; i < TIME_BYTES; i++) {
        header[i] = (byte) (issuedAt >>> (8 * (TIME_BYTES - 1 - i)));
      }
      mac.update(header);
      mac.update(address.getAddress().getAddress());
      mac.update(new byte[] {(byte) (address.getPort() >>> 8), (byte) address.getPort()});
      byte[] connectionId = new byte[idLength];
      id.getBytes(idOffset, connectionId);
      mac.update(connectionId);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
