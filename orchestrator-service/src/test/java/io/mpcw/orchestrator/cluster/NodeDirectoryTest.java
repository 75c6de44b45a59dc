package io.mpcw.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.orchestrator.registry.ClusterNode;
import io.mpcw.orchestrator.trust.ClusterTrust;
import io.mpcw.transport.pki.CertificateIssuer;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.PemFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node directory reuses its certificate checks for one node list, never past a validity. */
class NodeDirectoryTest {
  private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
  private final CertificateIssuer issuer = new CertificateIssuer();
  private final IdentityCredentials ca =
      issuer.createCa(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(365)));
  private final AtomicReference<Instant> now = new AtomicReference<>(T0);
  private final AtomicReference<List<ClusterNode>> listed = new AtomicReference<>(List.of());
  private NodeDirectory directory;

  @BeforeEach
  void directory(@TempDir Path pki) {
    ClusterTrust trust = new ClusterTrust(ca.certificate(), ca, new ClusterPki(pki));
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            return now.get();
          }

          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    directory = new NodeDirectory(listed::get, trust, clock);
  }

  private ClusterNode node(String id, Instant notAfter) {
    IdentityCredentials leaf =
        issuer.issue(ca, id, List.of(), T0.minus(Duration.ofHours(1)), notAfter);
    return new ClusterNode(id, "127.0.0.1:7001", "active", 0.1, PemFiles.toPem(leaf.certificate()));
  }

  @Test
  void aCertificateThatExpiresIsRefusedEvenForTheSameNodeList() {
    listed.set(
        List.of(
            node("node-1", T0.plus(Duration.ofMinutes(10))),
            node("node-2", T0.plus(Duration.ofDays(30)))));
    assertThat(directory.nodes().get("node-1").certificate()).isPresent();

    now.set(T0.plus(Duration.ofMinutes(11)));
    Map<String, NodeDirectory.KnownNode> later = directory.nodes();

    assertThat(later.get("node-1").certificate()).isEmpty();
    assertThat(later.get("node-2").certificate()).isPresent();
  }

  @Test
  void theSameNodeListGivesTheSameNodesAndACallerCannotChangeThemForOthers() {
    listed.set(List.of(node("node-1", T0.plus(Duration.ofDays(30)))));
    Map<String, NodeDirectory.KnownNode> first = directory.nodes();
    first.remove("node-1");

    Map<String, NodeDirectory.KnownNode> second = directory.nodes();

    assertThat(second).containsOnlyKeys("node-1");
    assertThat(second.get("node-1").certificate()).isPresent();
    assertThat(second.get("node-1").endpoint()).isPresent();
  }

  @Test
  void aNewNodeListIsCheckedAfresh() {
    listed.set(List.of(node("node-1", T0.plus(Duration.ofDays(30)))));
    assertThat(directory.nodes()).containsOnlyKeys("node-1");

    ClusterNode foreign = node("node-3", T0.plus(Duration.ofDays(30)));
    IdentityCredentials otherCa =
        issuer.createCa(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(365)));
    IdentityCredentials impostor =
        issuer.issue(
            otherCa,
            "node-2",
            List.of(),
            T0.minus(Duration.ofHours(1)),
            T0.plus(Duration.ofDays(30)));
    listed.set(
        List.of(
            node("node-1", T0.plus(Duration.ofDays(30))),
            new ClusterNode(
                "node-2", "127.0.0.1:7002", "active", 0.1, PemFiles.toPem(impostor.certificate())),
            foreign));

    Map<String, NodeDirectory.KnownNode> nodes = directory.nodes();

    assertThat(nodes).containsOnlyKeys("node-1", "node-2", "node-3");
    assertThat(nodes.get("node-2").certificate()).isEmpty();
    assertThat(nodes.get("node-3").certificate()).isPresent();
  }
}
