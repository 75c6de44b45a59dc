package io.mpcw.orchestrator.cluster;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.etcd.EtcdClients;
import io.mpcw.orchestrator.config.EtcdProperties;
import io.mpcw.orchestrator.config.EtcdTlsProperties;
import io.mpcw.orchestrator.config.PkiProperties;
import io.mpcw.orchestrator.trust.ClusterTrust;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.quic.QuicTransportClient;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.EtcdVoteLedger;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The orchestrator's links to the cluster: its identity, QUIC to the nodes, and etcd. */
@Configuration
public class ClusterConnections {

  @Bean
  ClusterTrust clusterTrust(PkiProperties pki) {
    if (!Files.exists(pki.dir().resolve("ca.crt"))) {
      throw new IllegalStateException(
          "no cluster CA at "
              + pki.dir().toAbsolutePath()
              + "/ca.crt: run ./mpcw pki init (./mpcw up does it) or set MPCW_PKI_DIR");
    }
    ClusterPki files = new ClusterPki(pki.dir());
    X509Certificate ca = files.caCertificate();
    IdentityCredentials identity = files.loadIdentity(pki.identity());
    return new ClusterTrust(ca, identity, files);
  }

  @Bean(destroyMethod = "close")
  TransportClient transportClient(ClusterTrust trust, MeterRegistry meters) {
    return new QuicTransportClient(
        trust.identity(), trust.ca(), TransportSettings.defaults(), meters, Clock.systemUTC());
  }

  @Bean(destroyMethod = "close")
  Client etcdClient(EtcdProperties etcd, EtcdTlsProperties tls, PkiProperties pki) {
    return EtcdClients.connect(etcd.endpoints(), tls.files(pki.dir(), pki.identity()));
  }

  @Bean
  EtcdVoteLedger voteLedger(Client etcd, EtcdProperties properties) {
    return new EtcdVoteLedger(
        etcd.getKVClient(),
        new EtcdKeys(properties.prefix()),
        properties.callTimeout(),
        Duration.ofSeconds(10));
  }

  @Bean
  EtcdKeys etcdKeys(EtcdProperties properties) {
    return new EtcdKeys(properties.prefix());
  }
}
