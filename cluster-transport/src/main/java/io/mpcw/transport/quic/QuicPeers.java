package io.mpcw.transport.quic;

import io.mpcw.transport.pki.PeerIdentity;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.util.AttributeKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/** Reads who is on the other end of an established QUIC connection. */
final class QuicPeers {

  private static final AttributeKey<PeerIdentity> PEER = AttributeKey.valueOf("mpcw.peer");

  private QuicPeers() {}

  /**
   * The peer's identity from its leaf certificate CN. The trust manager has already verified the
   * certificate during the handshake; the result is cached on the connection.
   */
  static Optional<PeerIdentity> of(QuicChannel connection) {
    PeerIdentity cached = connection.attr(PEER).get();
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<X509Certificate> leaf = leafCertificate(connection);
    Optional<PeerIdentity> peer =
        leaf.flatMap(cert -> PeerIdentity.commonName(cert).map(cn -> PeerIdentity.of(cn)));
    peer.ifPresent(p -> connection.attr(PEER).setIfAbsent(p));
    return peer;
  }

  static Optional<X509Certificate> leafCertificate(QuicChannel connection) {
    try {
      Certificate[] chain = connection.sslEngine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x509
          ? Optional.of(x509)
          : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }
}
