package io.mpcw.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.transport.pki.ClusterPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityLoaderTest {

  @TempDir Path dir;

  @Test
  void loadsTheNodesCredentialsIssuedByTheClusterCa() {
    new ClusterPki(dir).init(List.of("node-1"));

    NodeIdentity identity = NodeIdentityLoader.load(dir, "node-1", Instant.now());

    assertThat(identity.nodeId()).isEqualTo("node-1");
    assertThat(identity.toString()).doesNotContain("PRIVATE");
  }

  @Test
  void refusesToStartWithoutTheNodesCertificate() {
    new ClusterPki(dir).init(List.of("node-2"));

    assertThatThrownBy(() -> NodeIdentityLoader.load(dir, "node-1", Instant.now()))
        .isInstanceOf(NodeIdentityException.class)
        .hasMessageContaining("missing the certificate of node-1")
        .hasMessageContaining("node-1.crt")
        .hasMessageContaining("MPCW_PKI_DIR");
  }

  @Test
  void refusesToStartWithoutTheClusterCa() {
    assertThatThrownBy(() -> NodeIdentityLoader.load(dir, "node-1", Instant.now()))
        .isInstanceOf(NodeIdentityException.class)
        .hasMessageContaining("missing the cluster CA certificate");
  }

  @Test
  void refusesACertificateAnotherCaIssued(@TempDir Path other) throws Exception {
    new ClusterPki(dir).init(List.of());
    new ClusterPki(other).init(List.of("node-1"));
    Files.copy(other.resolve("node-1.crt"), dir.resolve("node-1.crt"));
    Files.copy(other.resolve("node-1.key"), dir.resolve("node-1.key"));

    assertThatThrownBy(() -> NodeIdentityLoader.load(dir, "node-1", Instant.now()))
        .isInstanceOf(NodeIdentityException.class)
        .hasMessageContaining("is not usable with the cluster CA")
        .hasMessageContaining("not signed by the cluster CA");
  }

  @Test
  void refusesACertificateIssuedToAnotherNode() throws Exception {
    new ClusterPki(dir).init(List.of("node-2"));
    Files.copy(dir.resolve("node-2.crt"), dir.resolve("node-1.crt"));
    Files.copy(dir.resolve("node-2.key"), dir.resolve("node-1.key"));

    assertThatThrownBy(() -> NodeIdentityLoader.load(dir, "node-1", Instant.now()))
        .isInstanceOf(NodeIdentityException.class)
        .hasMessageContaining("issued to CN=node-2, not to this node node-1");
  }

  @Test
  void refusesAKeyThatDoesNotBelongToTheCertificate() throws Exception {
    new ClusterPki(dir).init(List.of("node-1", "node-2"));
    Files.copy(
        dir.resolve("node-2.key"), dir.resolve("node-1.key"), StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> NodeIdentityLoader.load(dir, "node-1", Instant.now()))
        .isInstanceOf(NodeIdentityException.class)
        .hasMessageContaining("does not belong to");
  }
}
