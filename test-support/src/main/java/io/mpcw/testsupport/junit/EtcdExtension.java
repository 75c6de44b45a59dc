package io.mpcw.testsupport.junit;

import io.etcd.jetcd.Client;
import io.mpcw.embedded.etcd.EtcdCluster;
import io.mpcw.etcd.EtcdTlsFiles;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.types.etcd.EtcdAccessPolicy;
import io.mpcw.types.etcd.EtcdKeys;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real etcd for a test class: either the JVM's shared single member with a key prefix of the
 * class's own ({@link #shared()}), or a dedicated cluster of 1 or 3 members that the class may kill
 * members of ({@link #dedicated(int)}), stopped after the class. Either runs as production does
 * (TLS, certificate authentication, least-privilege roles): a test connects as an identity with
 * {@link #client(String)}, confined by its role to the class's key prefix.
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private final int dedicatedSize;
  private final String prefix;
  private volatile Optional<EtcdCluster> dedicated = Optional.empty();
  private final Set<String> provisioned = new HashSet<>();

  private EtcdExtension(int dedicatedSize) {
    this.dedicatedSize = dedicatedSize;
    this.prefix = "/mpcw-test-" + COUNTER.incrementAndGet();
  }

  public static EtcdExtension shared() {
    return new EtcdExtension(0);
  }

  public static EtcdExtension dedicated(int size) {
    return new EtcdExtension(size);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    endpoints();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    dedicated.ifPresent(EtcdCluster::close);
    dedicated = Optional.empty();
    synchronized (this) {
      provisioned.clear();
    }
  }

  /** Comma-separated client URLs ({@code https://}). */
  public String endpoints() {
    return etcd().endpoints();
  }

  /**
   * A client authenticated as {@code identity}: {@code root} (the operator, unrestricted), {@code
   * orchestrator} or a node id, whose role is first granted what {@link EtcdAccessPolicy} gives it
   * under {@link #keys()}. The caller closes it.
   */
  public Client client(String identity) {
    return etcd().client(provisioned(identity));
  }

  /**
   * The TLS files of {@code identity} for this etcd (provisioned as by {@link #client}), for a
   * service under test: set them as {@code mpcw.etcd.tls.certificate|private-key|ca-certificate}.
   */
  public EtcdTlsFiles tls(String identity) {
    return etcd().pki().tls(provisioned(identity));
  }

  private synchronized String provisioned(String identity) {
    if (!identity.equals(ClusterPki.ETCD_ROOT) && provisioned.add(identity)) {
      List<String> nodes =
          identity.equals(EtcdAccessPolicy.ORCHESTRATOR) ? List.of() : List.of(identity);
      etcd().provision(keys(), nodes);
    }
    return identity;
  }

  /** The key layout under this class's own prefix. */
  public EtcdKeys keys() {
    return new EtcdKeys(prefix);
  }

  private synchronized EtcdCluster etcd() {
    if (dedicatedSize == 0) {
      return SharedInfrastructure.etcd();
    }
    if (dedicated.isEmpty()) {
      dedicated = Optional.of(EtcdCluster.startTemporary(dedicatedSize));
    }
    return dedicated.get();
  }

  /** The dedicated cluster, to kill and restart members. */
  public EtcdCluster cluster() {
    etcd();
    return dedicated.orElseThrow(
        () -> new IllegalStateException("the shared etcd cannot be controlled by one test class"));
  }

  /** A key prefix no other test class uses, for isolation on the shared member. */
  public String keyPrefix() {
    return prefix;
  }
}
