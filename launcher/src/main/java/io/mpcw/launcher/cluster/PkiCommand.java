package io.mpcw.launcher.cluster;

import io.mpcw.transport.pki.ClusterPki;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./mpcw pki init}: the cluster CA and one certificate per identity, and etcd's (members and
 * the operator's {@code root} client), made once.
 */
public final class PkiCommand {
  private PkiCommand() {}

  public static int run(Layout layout) {
    List<Path> created = init(layout);
    if (created.isEmpty()) {
      System.out.println("cluster PKI complete in " + layout.show(layout.pki()));
    }
    return 0;
  }

  /** Creates what is missing (never overwrites) and says what it created, never key material. */
  static List<Path> init(Layout layout) {
    return init(layout, true);
  }

  public static List<Path> init(Layout layout, boolean verbose) {
    List<Path> created = new ClusterPki(layout.pki()).initAll(layout.identities());
    if (verbose) {
      for (Path file : created) {
        System.out.println("created " + layout.show(file));
      }
    }
    return created;
  }
}
