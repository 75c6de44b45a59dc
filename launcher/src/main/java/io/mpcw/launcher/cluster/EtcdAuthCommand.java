package io.mpcw.launcher.cluster;

import io.etcd.jetcd.Client;
import io.mpcw.embedded.etcd.EtcdAuthProvisioning;
import io.mpcw.etcd.EtcdClients;
import io.mpcw.etcd.EtcdTlsFiles;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.types.etcd.EtcdAccessPolicy;
import io.mpcw.types.etcd.EtcdAccessPolicy.Role;
import io.mpcw.types.etcd.EtcdKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code etcd-auth}: on an etcd that runs with TLS and {@code --client-cert-auth}, creates the
 * {@code root} user, enables authentication, and creates the role and user of the orchestrator and
 * of each node ({@link EtcdAccessPolicy}), as the operator's {@code root} certificate. Idempotent.
 * The compose file's {@code etcd-auth} one-shot runs it; {@code ./mpcw up} does the same in
 * process. Reads {@code MPCW_ETCD_ENDPOINTS}, {@code MPCW_PKI_DIR} (root.crt, root.key, ca.crt),
 * {@code MPCW_NODES} and {@code MPCW_ETCD_PREFIX}.
 */
public final class EtcdAuthCommand {
  private EtcdAuthCommand() {}

  public static int run(Map<String, String> env) {
    String endpoints = env.getOrDefault("MPCW_ETCD_ENDPOINTS", "https://127.0.0.1:2379");
    Path pki = Path.of(env.getOrDefault("MPCW_PKI_DIR", ".mpcw/pki"));
    int nodes = Integer.parseInt(env.getOrDefault("MPCW_NODES", "5"));
    EtcdKeys keys = new EtcdKeys(env.getOrDefault("MPCW_ETCD_PREFIX", EtcdKeys.DEFAULT_PREFIX));
    List<String> nodeIds = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      nodeIds.add(Layout.nodeId(i));
    }
    List<Role> roles = EtcdAccessPolicy.roles(keys, nodeIds);
    try (Client root =
        EtcdClients.connect(endpoints, EtcdTlsFiles.inPkiDirectory(pki, ClusterPki.ETCD_ROOT))) {
      EtcdAuthProvisioning.enableAuth(root);
      EtcdAuthProvisioning.provision(root, roles);
    } catch (RuntimeException e) {
      System.err.println("etcd-auth failed: " + e.getMessage());
      return 1;
    }
    System.out.println(
        "etcd authentication on; users and roles: "
            + roles.stream().map(Role::name).toList()
            + " (each confined to its own keys under "
            + keys.all()
            + ")");
    return 0;
  }
}
