package io.mpcw.node;

import io.mpcw.node.identity.TestPki;
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
      String nodeId,
      TestPki pki,
      String etcdEndpoints,
      String etcdPrefix,
      String registryUrl,
      Path sharesDir) {
    return Map.of(
        "mpcw.node.node-id",
        nodeId,
        "mpcw.pki.dir",
        pki.dir().toString(),
        "mpcw.node.quic-address",
        "127.0.0.1:0",
        "mpcw.node.heartbeat-interval",
        "200ms",
        "mpcw.etcd.endpoints",
        etcdEndpoints,
        "mpcw.etcd.prefix",
        etcdPrefix,
        "mpcw.node.registry-url",
        registryUrl,
        "mpcw.node.shares.dir",
        sharesDir.toString(),
        "server.port",
        "0");
  }

  public static ConfigurableApplicationContext start(Map<String, String> properties) {
    List<String> args = new ArrayList<>();
    properties.forEach((key, value) -> args.add("--" + key + "=" + value));
    return new SpringApplicationBuilder(NodeApplication.class)
        .logStartupInfo(false)
        .run(args.toArray(String[]::new));
  }
}
