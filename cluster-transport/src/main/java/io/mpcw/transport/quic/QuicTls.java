package io.mpcw.transport.quic;

import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.pki.IdentityCredentials;
import io.netty.handler.ssl.ClientAuth;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.incubator.codec.quic.QuicSslContextBuilder;
import java.security.cert.X509Certificate;
import java.time.Clock;

/**
 * TLS 1.3 contexts for the cluster: mutual authentication, cluster CA only, ALPN {@code mpcw/1}.
 */
public final class QuicTls {

  public static final String ALPN = "mpcw/1";

  private QuicTls() {}

  public static QuicSslContext serverContext(
      IdentityCredentials self,
      X509Certificate clusterCa,
      IdentityPolicy policy,
      TransportMetrics metrics,
      Clock clock) {
    return serverContext(self, clusterCa, policy, new HandshakeRefusals(metrics), clock);
  }

  static QuicSslContext serverContext(
      IdentityCredentials self,
      X509Certificate clusterCa,
      IdentityPolicy policy,
      HandshakeRefusals refusals,
      Clock clock) {
    return QuicSslContextBuilder.forServer(self.privateKey(), null, self.certificate())
        .trustManager(new ClusterTrustManager(clusterCa, policy, refusals, clock))
        .clientAuth(ClientAuth.REQUIRE)
        .applicationProtocols(ALPN)
        .build();
  }

  public static QuicSslContext clientContext(
      IdentityCredentials self, X509Certificate clusterCa, TransportMetrics metrics, Clock clock) {
    return QuicSslContextBuilder.forClient()
        .trustManager(
            new ClusterTrustManager(
                clusterCa,
                IdentityPolicy.anyClusterMember(),
                new HandshakeRefusals(metrics),
                clock))
        .keyManager(self.privateKey(), null, self.certificate())
        .applicationProtocols(ALPN)
        .build();
  }
}
