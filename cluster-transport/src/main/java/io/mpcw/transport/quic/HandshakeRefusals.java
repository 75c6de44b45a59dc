package io.mpcw.transport.quic;

import io.mpcw.transport.RateLimitedLog;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.pki.PeerIdentity.RefusalReason;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and logs (rate-limited) every handshake a server or client refuses, once. The trust
 * manager sees the certificates it refuses; handshakes that fail before it is asked (no client
 * certificate: also what a self-signed one becomes, since the client's TLS stack offers only
 * certificates of the issuer the server names) surface only as a failed connection, and are counted
 * there unless the trust manager counted them already.
 */
final class HandshakeRefusals {

  static final String NO_CERTIFICATE = "no_certificate";
  static final String HANDSHAKE_FAILED = "handshake_failed";
  static final String INVALID_TOKEN = "invalid_token";

  private static final Logger log = LoggerFactory.getLogger(HandshakeRefusals.class);

  private final TransportMetrics metrics;
  private final RateLimitedLog lines;
  private final Set<SSLEngine> countedByTrustManager =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  HandshakeRefusals(TransportMetrics metrics) {
    this.metrics = metrics;
    this.lines = RateLimitedLog.perMinute(log, "transport_handshake", metrics.registry());
  }

  /** A certificate the trust manager refused; {@code engine} may be null (no engine given). */
  void certificateRefused(RefusalReason reason, String detail, SSLEngine engine) {
    if (engine != null) {
      countedByTrustManager.add(engine);
    }
    metrics.handshakeRefused(reason.tag());
    lines.info("refused peer certificate ({}): {}", reason.tag(), detail);
  }

  /** A connection whose handshake failed; counted unless the trust manager did already. */
  void handshakeFailed(SSLEngine engine, Throwable cause, Object peerAddress) {
    if (engine != null && countedByTrustManager.remove(engine)) {
      return;
    }
    String message = String.valueOf(cause.getMessage());
    String reason =
        message.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") ? NO_CERTIFICATE : HANDSHAKE_FAILED;
    metrics.handshakeRefused(reason);
    lines.info("refused handshake from {} ({})", peerAddress, reason);
  }
}
