package io.mpcw.embedded.etcd;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Locates the {@code etcd} executable, or explains in one line how to install it. */
public final class EtcdBinary {
  public static final String ENV_BINARY = "MPCW_ETCD_BINARY";
  static final String MISSING =
      "etcd not found on PATH: install it with `apt-get install -y etcd-server`"
          + " (./mpcw up and ./mpcw test do this when run as root),"
          + " or point MPCW_ETCD_BINARY at one";

  private EtcdBinary() {}

  public static Path locate() {
    return find().orElseThrow(() -> new IllegalStateException(MISSING));
  }

  static Optional<Path> find() {
    String explicit = System.getenv(ENV_BINARY);
    if (explicit != null && !explicit.isBlank()) {
      return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
    }
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "etcd");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
