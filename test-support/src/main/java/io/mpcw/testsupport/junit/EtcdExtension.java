package io.mpcw.testsupport.junit;

import io.mpcw.testsupport.etcd.EtcdCluster;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real etcd for a test class: either the JVM's shared single member with a key prefix of the
 * class's own ({@link #shared()}), or a dedicated cluster of 1 or 3 members that the class may kill
 * members of ({@link #dedicated(int)}), stopped after the class.
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private final int dedicatedSize;
  private final String prefix;
  private volatile Optional<EtcdCluster> dedicated = Optional.empty();

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
  }

  /** Comma-separated client URLs. */
  public synchronized String endpoints() {
    if (dedicatedSize == 0) {
      return SharedInfrastructure.etcdEndpoints();
    }
    if (dedicated.isEmpty()) {
      dedicated = Optional.of(EtcdCluster.startTemporary(dedicatedSize));
    }
    return dedicated.get().endpoints();
  }

  /** The dedicated cluster, to kill and restart members. */
  public EtcdCluster cluster() {
    endpoints();
    return dedicated.orElseThrow(
        () -> new IllegalStateException("the shared etcd cannot be controlled by one test class"));
  }

  /** A key prefix no other test class uses, for isolation on the shared member. */
  public String keyPrefix() {
    return prefix;
  }
}
