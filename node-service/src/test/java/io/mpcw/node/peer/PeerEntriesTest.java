package io.mpcw.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.node.identity.TestPki;
import io.mpcw.node.registry.ClusterMembership;
import io.mpcw.node.registry.ClusterMembership.Member;
import io.mpcw.node.registry.PeerCertificates;
import io.mpcw.transport.pki.CertificateIssuer;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.PemFiles;
import io.mpcw.types.cluster.NodeStatus;
import io.mpcw.types.cluster.PeerEntry;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every reason a reported node is refused, with certificates made at test time. */
class PeerEntriesTest {
  private static final TestPki PKI = TestPki.inTemporaryDirectory();
  private static final Instant NOW = Instant.now();

  private final MeterRegistry meters = new SimpleMeterRegistry();
  private final ClusterMembership membership = new ClusterMembership();
  private final PeerEntries entries =
      new PeerEntries(
          "node-1",
          "node-[0-9]+",
          new PeerCertificates(membership, PKI.node("node-1"), Clock.systemUTC()),
          new PeerMetrics(meters, membership));

  @AfterAll
  static void deletePki() {
    PKI.delete();
  }

  private static String pem(String identity) {
    return PemFiles.toPem(PKI.credentials(identity).certificate());
  }

  private static PeerEntry entry(String nodeId, String address, String certificate) {
    return new PeerEntry(nodeId, address, certificate, NodeStatus.ACTIVE, NOW.toEpochMilli());
  }

  private String refusalOf(PeerEntry entry) {
    assertThat(entries.accept("node-2", List.of(entry), NOW)).isEmpty();
    return meters.find("node.peer.entries.refused").counters().stream()
        .filter(c -> c.count() == 1)
        .map(c -> c.getId().getTag("reason"))
        .findFirst()
        .orElseThrow();
  }

  /** A certificate the cluster CA issued for {@code identity}, valid over the given window. */
  private static String issued(String identity, Instant notBefore, Instant notAfter) {
    IdentityCredentials ca = new ClusterPki(PKI.dir()).loadCa();
    return PemFiles.toPem(
        new CertificateIssuer().issue(ca, identity, List.of(), notBefore, notAfter).certificate());
  }

  @Test
  void acceptsANodeWhoseCertificateTheClusterCaIssuedToThatId() {
    List<Member> accepted =
        entries.accept("node-2", List.of(entry("node-3", "127.0.0.1:7003", pem("node-3"))), NOW);

    assertThat(accepted).singleElement().extracting(Member::nodeId).isEqualTo("node-3");
    assertThat(meters.find("node.peer.entries.refused").counters()).isEmpty();
  }

  @Test
  void refusesACertificateOfAnotherCa() throws Exception {
    ClusterPki other = new ClusterPki(Files.createTempDirectory("other-ca-").resolve("pki"));
    other.init(List.of("node-3"));
    X509Certificate foreign = other.loadIdentity("node-3").certificate();

    assertThat(refusalOf(entry("node-3", "127.0.0.1:7003", PemFiles.toPem(foreign))))
        .isEqualTo("untrusted_issuer");
  }

  @Test
  void refusesACertificateWhoseCnIsAnotherNode() {
    assertThat(refusalOf(entry("node-4", "127.0.0.1:7004", pem("node-3"))))
        .isEqualTo("name_mismatch");
  }

  @Test
  void refusesAnExpiredCertificate() {
    String expired = issued("node-4", NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1)));

    assertThat(refusalOf(entry("node-4", "127.0.0.1:7004", expired))).isEqualTo("expired");
  }

  @Test
  void refusesACertificateNotYetValid() {
    String future = issued("node-4", NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(2)));

    assertThat(refusalOf(entry("node-4", "127.0.0.1:7004", future))).isEqualTo("not_yet_valid");
  }

  @Test
  void refusesTheCaCertificateAsANodeIdentity() {
    assertThat(refusalOf(entry("node-4", "127.0.0.1:7004", PemFiles.toPem(PKI.ca()))))
        .isIn("invalid", "untrusted_issuer");
  }

  @Test
  void refusesAnEntryWithoutCertificate() {
    assertThat(refusalOf(entry("node-3", "127.0.0.1:7003", null))).isEqualTo("missing_certificate");
  }

  @Test
  void refusesAnUnreadableCertificate() {
    assertThat(refusalOf(entry("node-3", "127.0.0.1:7003", "-----BEGIN CERTIFICATE-----\nAAAA")))
        .isEqualTo("unreadable_certificate");
  }

  @Test
  void refusesAnIdThatIsNotANodesEvenWithItsOwnClusterCertificate() {
    assertThat(refusalOf(entry("orchestrator", "127.0.0.1:7009", pem("orchestrator"))))
        .isEqualTo("not_a_node");
  }

  @Test
  void refusesAnEntryWithoutAUsableQuicAddress() {
    assertThat(refusalOf(entry("node-3", "no-port", pem("node-3")))).isEqualTo("bad_address");
    assertThat(
            entries.accept("node-2", List.of(entry("node-3", "127.0.0.1:0", pem("node-3"))), NOW))
        .isEmpty();
    assertThat(entries.accept("node-2", List.of(entry("node-3", null, pem("node-3"))), NOW))
        .isEmpty();
  }

  @Test
  void skipsEntriesAboutThisNodeWithoutCountingThem() {
    assertThat(entries.accept("node-2", List.of(entry("node-1", "x", null)), NOW)).isEmpty();
    assertThat(meters.find("node.peer.entries.refused").counters()).isEmpty();
  }

  @Test
  void capsALastSeenTimeInTheFutureAtNow() {
    PeerEntry future =
        new PeerEntry(
            "node-3",
            "127.0.0.1:7003",
            pem("node-3"),
            NodeStatus.ACTIVE,
            NOW.plus(Duration.ofDays(365)).toEpochMilli());

    assertThat(entries.accept("node-2", List.of(future), NOW).get(0).lastSeen()).isEqualTo(NOW);
  }
}
