package io.mpcw.transport.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiTest {

  @TempDir Path dir;

  @Test
  void initCreatesCaAndIdentitiesWithOwnerOnlyKeys() throws Exception {
    List<Path> created = new ClusterPki(dir).init(List.of("orchestrator", "node-1"));

    assertThat(created)
        .extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder(
            "ca.crt", "ca.key", "orchestrator.crt", "orchestrator.key", "node-1.crt", "node-1.key");
    for (String key : List.of("ca.key", "orchestrator.key", "node-1.key")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))))
          .isEqualTo("rw-------");
      assertThat(Files.readString(dir.resolve(key))).startsWith("-----BEGIN PRIVATE KEY-----");
    }
  }

  @Test
  void initIsIdempotentAndNeverOverwrites() throws Exception {
    ClusterPki pki = new ClusterPki(dir);
    pki.init(List.of("node-1"));
    byte[] caBefore = Files.readAllBytes(dir.resolve("ca.crt"));
    byte[] nodeBefore = Files.readAllBytes(dir.resolve("node-1.key"));

    List<Path> second = pki.init(List.of("node-1", "node-2"));

    assertThat(second)
        .extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder("node-2.crt", "node-2.key");
    assertThat(Files.readAllBytes(dir.resolve("ca.crt"))).isEqualTo(caBefore);
    assertThat(Files.readAllBytes(dir.resolve("node-1.key"))).isEqualTo(nodeBefore);
    assertThat(pki.init(List.of("node-1", "node-2"))).isEmpty();
  }

  @Test
  void initEtcdIssuesTheMembersCertificateForTheComposeHostsAndTheOperatorsRootCertificate()
      throws Exception {
    ClusterPki pki = new ClusterPki(dir);

    List<Path> created = pki.initEtcd();

    assertThat(created)
        .extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder(
            "ca.crt", "ca.key", "root.crt", "root.key", "etcd.crt", "etcd.key");
    X509Certificate etcd = pki.loadIdentity("etcd").certificate();
    assertThat(etcd.getSubjectAlternativeNames())
        .extracting(n -> n.get(1).toString())
        .contains("localhost", "127.0.0.1", "etcd-1", "etcd-2", "etcd-3");
    assertThat(etcd.getExtendedKeyUsage())
        .contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"); // server and client (peer) auth
    assertThat(PeerIdentity.commonName(pki.loadIdentity("root").certificate())).contains("root");
    assertThat(pki.initEtcd()).isEmpty();
  }

  @Test
  void refusesTheEtcdMembersNameAsAPlainIdentity() {
    assertThatThrownBy(() -> new ClusterPki(dir).init(List.of("etcd")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initEtcd");
  }

  @Test
  void refusesToCompleteAnIdentityMissingOneOfItsFiles() throws Exception {
    ClusterPki pki = new ClusterPki(dir);
    pki.init(List.of("node-1"));
    Files.delete(dir.resolve("node-1.key"));

    assertThatThrownBy(() -> pki.init(List.of("node-1"))).isInstanceOf(PkiException.class);
  }

  @Test
  void rejectsIdentityNamesThatCouldEscapeTheDirectory() {
    assertThatThrownBy(() -> new ClusterPki(dir).init(List.of("../etc")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ClusterPki(dir).init(List.of("ca")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void loadedIdentityIsTrustedPeerWithItsCommonName() throws Exception {
    ClusterPki pki = new ClusterPki(dir);
    pki.init(List.of("registry"));
    IdentityCredentials registry = pki.loadIdentity("registry");

    PeerIdentity peer =
        PeerIdentity.fromCertificate(registry.certificate(), pki.caCertificate(), Instant.now());

    assertThat(peer.name()).isEqualTo("registry");
    assertThat(registry.certificate().getSubjectAlternativeNames())
        .extracting(san -> String.valueOf(san.get(1)))
        .contains("localhost", "registry", "127.0.0.1");
    assertThat(registry.toString()).doesNotContain("PRIVATE");
  }

  @Test
  void signatureVerifiesWithSignersCertificateOnly() {
    ClusterPki pki = new ClusterPki(dir);
    pki.init(List.of("node-1", "node-2"));
    IdentityCredentials node1 = pki.loadIdentity("node-1");
    IdentityCredentials node2 = pki.loadIdentity("node-2");
    byte[] vote = "approve tx 42".getBytes(StandardCharsets.UTF_8);

    byte[] signature = IdentityKeys.sign(node1, vote);

    assertThat(IdentityKeys.verify(node1.certificate(), vote, signature)).isTrue();
    assertThat(IdentityKeys.verify(node2.certificate(), vote, signature)).isFalse();
    assertThat(IdentityKeys.verify(node1.certificate(), "approve tx 43".getBytes(), signature))
        .isFalse();
    assertThat(IdentityKeys.verify(node1.certificate(), vote, new byte[] {1, 2, 3})).isFalse();
  }

  @Test
  void commandPrintsCreatedFilesButNoKeyMaterial() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        PkiInitCommand.run(
            new String[] {dir.resolve("pki").toString(), "orchestrator"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).isZero();
    assertThat(printed)
        .contains("ca.crt", "orchestrator.key", "etcd.crt", "root.key")
        .doesNotContain("BEGIN");
    assertThat(
            PkiInitCommand.run(
                new String[] {dir.resolve("pki").toString(), "orchestrator"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)))
        .isZero();
  }

  @Test
  void certificateSurvivesAPemRoundTrip() {
    ClusterPki pki = new ClusterPki(dir);
    pki.init(List.of("node-1"));
    var cert = pki.loadIdentity("node-1").certificate();

    assertThat(PemFiles.parseCertificate(PemFiles.toPem(cert))).isEqualTo(cert);
  }
}
