package io.mpcw.node.identity;

import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.pki.IdentityCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A cluster PKI made at test time in a temporary directory: never a key in the repository. */
public final class TestPki {

  public static final List<String> IDENTITIES =
      List.of("orchestrator", "registry", "node-1", "node-2", "node-3");

  private final ClusterPki pki;

  public TestPki(Path dir) {
    this.pki = new ClusterPki(dir);
    pki.init(IDENTITIES);
  }

  /** For contexts built before JUnit can inject a temporary directory; see {@link #delete()}. */
  public static TestPki inTemporaryDirectory() {
    try {
      return new TestPki(Files.createTempDirectory("mpcw-pki-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void delete() {
    try (Stream<Path> files = Files.walk(pki.directory())) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dir() {
    return pki.directory();
  }

  public NodeIdentity node(String nodeId) {
    return NodeIdentityLoader.load(pki.directory(), nodeId, Instant.now());
  }

  public IdentityCredentials credentials(String name) {
    return pki.loadIdentity(name);
  }

  public X509Certificate ca() {
    return pki.caCertificate();
  }
}
