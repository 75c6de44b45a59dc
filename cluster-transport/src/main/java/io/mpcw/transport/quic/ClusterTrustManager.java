package io.mpcw.transport.quic;

import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.transport.pki.PeerIdentity.RefusalReason;
import io.mpcw.transport.pki.PeerIdentity.UntrustedPeerException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts exactly the leaves the cluster CA issued, valid now, and (on a server) whose identity the
 * policy admits. Runs inside the TLS handshake, so a refused peer never gets to open a stream; the
 * refusal reason is counted because the peer itself only sees a TLS alert.
 */
final class ClusterTrustManager extends X509ExtendedTrustManager {

  private static final Logger log = LoggerFactory.getLogger(ClusterTrustManager.class);

  private final X509Certificate clusterCa;
  private final IdentityPolicy policy;
  private final TransportMetrics metrics;
  private final Clock clock;

  ClusterTrustManager(
      X509Certificate clusterCa, IdentityPolicy policy, TransportMetrics metrics, Clock clock) {
    this.clusterCa = clusterCa;
    this.policy = policy;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    PeerIdentity peer = trusted(chain);
    if (!policy.permits(peer)) {
      refuse(
          RefusalReason.IDENTITY_REJECTED, peer.name() + " is not admitted by the identity policy");
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    // The expected CN depends on the endpoint, so the client checks it after the handshake.
    trusted(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {clusterCa};
  }

  private PeerIdentity trusted(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      refuse(RefusalReason.INVALID, "no certificate presented");
    }
    try {
      return PeerIdentity.fromCertificate(chain[0], clusterCa, clock.instant());
    } catch (UntrustedPeerException e) {
      refuse(e.reason(), e.getMessage());
      throw e;
    }
  }

  private void refuse(RefusalReason reason, String detail) throws CertificateException {
    metrics.handshakeRefused(reason.tag());
    log.info("refused peer certificate ({}): {}", reason.tag(), detail);
    throw new UntrustedPeerException(reason, detail);
  }
}
