package io.mpcw.node;

import io.mpcw.etcd.EtcdTlsFiles;
import io.mpcw.node.identity.TestPki;
import io.mpcw.testsupport.junit.EtcdExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a whole node (Spring context, QUIC server, etcd client, share store) with the properties a
 * test gives, for tests that must stop and start it again or watch it refuse to start.
 */
public final class TestNode {

  private TestNode() {}

  /** Properties every test node needs: its PKI, a free QUIC port, etcd and the registry. */
  public static Map<String, String> baseProperties(
      String nodeId, TestPki pki, EtcdExtension etcd, String registryUrl, Path sharesDir) {
    EtcdTlsFiles tls = etcd.tls(nodeId);
    return Map.ofEntries(
        Map.entry("mpcw.etcd.tls.certificate", tls.certificate().toString()),
        Map.entry("mpcw.etcd.tls.private-key", tls.privateKey().toString()),
        Map.entry("mpcw.etcd.tls.ca-certificate", tls.caCertificate().toString()),
        Map.entry("mpcw.node.node-id", nodeId),
        Map.entry("mpcw.pki.dir", pki.dir().toString()),
        Map.entry("mpcw.node.quic-address", "127.0.0.1:0"),
        Map.entry("mpcw.node.heartbeat-interval", "200ms"),
        Map.entry("mpcw.etcd.endpoints", etcd.endpoints()),
        Map.entry("mpcw.etcd.prefix", etcd.keyPrefix()),
        Map.entry("mpcw.node.registry-url", registryUrl),
        Map.entry("mpcw.node.shares.dir", sharesDir.toString()),
        Map.entry("server.port", "0"));
  }

  public static ConfigurableApplicationContext start(Map<String, String> properties) {
    List<String> args = new ArrayList<>();
    properties.forEach((key, value) -> args.add("--" + key + "=" + value));
    return new SpringApplicationBuilder(NodeApplication.class)
        .logStartupInfo(false)
        .run(args.toArray(String[]::new));
  }
}
