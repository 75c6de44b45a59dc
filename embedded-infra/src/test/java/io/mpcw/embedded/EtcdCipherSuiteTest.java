package io.mpcw.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.netty.GrpcSslContexts;
import io.mpcw.embedded.etcd.EtcdCluster;
import io.mpcw.etcd.EtcdClients;
import io.mpcw.etcd.EtcdTlsFiles;
import io.mpcw.types.etcd.EtcdKeys;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the services' TLS to a real etcd negotiates: ChaCha20-Poly1305 over TLS 1.3, which the
 * services name first ({@link EtcdClients#CIPHER_PREFERENCE}) because the JDK runs AES-GCM as plain
 * Java on C1.
 */
class EtcdCipherSuiteTest {
  private static EtcdCluster etcd;

  @BeforeAll
  static void startEtcd() {
    etcd = EtcdCluster.startTemporary(1);
    etcd.provision(EtcdKeys.defaults(), List.of("node-1"));
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void aNodesConnectionToEtcdNegotiatesChaCha20Poly1305OverTls13() throws Exception {
    SSLSession session =
        handshake(EtcdClients.tlsFor(GrpcSslContexts.forClient(), tlsOf("node-1")).build());

    assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
    assertThat(session.getCipherSuite()).isEqualTo("TLS_CHACHA20_POLY1305_SHA256");
  }

  @Test
  void withoutThePreferenceEtcdChoosesAesGcm() throws Exception {
    // Go's TLS server prefers AES-GCM only where the CPU has AES instructions
    assumeTrue(cpuHasAesInstructions(), "this CPU has no AES instructions");
    EtcdTlsFiles tls = tlsOf("node-1");
    SSLSession session =
        handshake(
            GrpcSslContexts.forClient()
                .trustManager(tls.caCertificate().toFile())
                .keyManager(tls.certificate().toFile(), tls.privateKey().toFile())
                .build());

    assertThat(session.getCipherSuite()).startsWith("TLS_AES_");
  }

  @Test
  void everySuiteOfferedIsAnAeadSuiteThatHttp2Allows() {
    assertThat(EtcdClients.CIPHER_PREFERENCE)
        .startsWith("TLS_CHACHA20_POLY1305_SHA256")
        .allMatch(s -> s.contains("GCM") || s.contains("CHACHA20_POLY1305"))
        .allMatch(
            s ->
                s.startsWith("TLS_AES")
                    || s.startsWith("TLS_CHACHA20")
                    || s.startsWith("TLS_ECDHE_"))
        .doesNotHaveDuplicates();
  }

  private static boolean cpuHasAesInstructions() throws IOException {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    return Files.isReadable(cpuinfo)
        && Files.readAllLines(cpuinfo).stream()
            .filter(line -> line.startsWith("flags"))
            .anyMatch(line -> List.of(line.split("\\s+")).contains("aes"));
  }

  private static EtcdTlsFiles tlsOf(String identity) {
    return etcd.pki().tls(identity);
  }

  /** A TLS handshake with etcd's first member under {@code context}; its session. */
  private static SSLSession handshake(SslContext context) throws Exception {
    URI endpoint = URI.create(etcd.endpoints().split(",")[0]);
    EventLoopGroup group = new NioEventLoopGroup(1);
    try {
      SslHandler[] tls = new SslHandler[1];
      Channel channel =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      tls[0] =
                          context.newHandler(ch.alloc(), endpoint.getHost(), endpoint.getPort());
                      ch.pipeline().addLast(tls[0]);
                    }
                  })
              .connect(endpoint.getHost(), endpoint.getPort())
              .sync()
              .channel();
      try {
        assertThat(tls[0].handshakeFuture().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(tls[0].handshakeFuture().cause()).isNull();
        return tls[0].engine().getSession();
      } finally {
        channel.close().sync();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
