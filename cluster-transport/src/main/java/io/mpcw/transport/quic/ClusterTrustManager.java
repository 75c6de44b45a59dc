package io.mpcw.transport.quic;

import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.transport.pki.PeerIdentity.RefusalReason;
import io.mpcw.transport.pki.PeerIdentity.UntrustedPeerException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly the leaves the cluster CA issued, valid now, and (on a server) whose identity the
 * policy admits. Runs inside the TLS handshake, so a refused peer never gets to open a stream; the
 * refusal reason is counted because the peer itself only sees a TLS alert.
 */
final class ClusterTrustManager extends X509ExtendedTrustManager {

  private final X509Certificate clusterCa;
  private final IdentityPolicy policy;
  private final HandshakeRefusals refusals;
  private final Clock clock;

  ClusterTrustManager(
      X509Certificate clusterCa, IdentityPolicy policy, HandshakeRefusals refusals, Clock clock) {
    this.clusterCa = clusterCa;
    this.policy = policy;
    this.refusals = refusals;
    this.clock = clock;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    checkClient(chain, null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    // The expected CN depends on the endpoint, so the client checks it after the handshake.
    trusted(chain, null);
  }

  private void checkClient(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
    PeerIdentity peer = trusted(chain, engine);
    if (!policy.permits(peer)) {
      refuse(
          RefusalReason.IDENTITY_REJECTED,
          peer.name() + " is not admitted by the identity policy",
          engine);
    }
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
    checkClient(chain, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    trusted(chain, engine);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {clusterCa};
  }

  private PeerIdentity trusted(X509Certificate[] chain, SSLEngine engine)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      refuse(RefusalReason.INVALID, "no certificate presented", engine);
    }
    try {
      return PeerIdentity.fromCertificate(chain[0], clusterCa, clock.instant());
    } catch (UntrustedPeerException e) {
      refuse(e.reason(), e.getMessage(), engine);
      throw e;
    }
  }

  private void refuse(RefusalReason reason, String detail, SSLEngine engine)
      throws CertificateException {
    refusals.certificateRefused(reason, detail, engine);
    throw new UntrustedPeerException(reason, detail);
  }
}
