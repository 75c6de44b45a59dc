package io.mpcw.orchestrator.support;

import io.mpcw.transport.pki.ClusterPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A cluster PKI made at test time (never committed): CA, orchestrator and seven node identities
 * (the registry lists five unless a test registers more: reshares to a larger set).
 */
public record TestCluster(Path pkiDir, ClusterPki pki) {
  private static TestCluster shared;

  public static synchronized TestCluster shared() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("mpcw-orch-pki-").resolve("pki");
        ClusterPki pki = new ClusterPki(dir);
        pki.init(
            List.of(
                "orchestrator",
                "node-1",
                "node-2",
                "node-3",
                "node-4",
                "node-5",
                "node-6",
                "node-7",
                "stranger"));
        shared = new TestCluster(dir, pki);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }
}
