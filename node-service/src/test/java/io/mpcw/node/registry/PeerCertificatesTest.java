package io.mpcw.node.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.node.identity.TestPki;
import io.mpcw.transport.pki.PemFiles;
import io.mpcw.types.cluster.NodeIdentities;
import io.mpcw.types.cluster.NodeStatus;
import io.mpcw.types.cluster.NodeView;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Which listed certificates a node accepts as a node's: the CA's, for that id, and a node id. */
class PeerCertificatesTest {
  private static final TestPki PKI = TestPki.inTemporaryDirectory();

  @AfterAll
  static void deletePki() {
    PKI.delete();
  }

  private static NodeView listed(String id) {
    return new NodeView(
        id,
        "127.0.0.1:7101",
        "http://127.0.0.1:8101",
        NodeStatus.ACTIVE,
        Instant.now(),
        0,
        0.0,
        0,
        "1",
        PemFiles.toPem(PKI.credentials(id).certificate()));
  }

  @Test
  void aServiceIdentityTheRegistryListsAsANodeGetsNoCertificate() {
    ClusterMembership membership = new ClusterMembership();
    membership.update(List.of(listed("node-2"), listed("orchestrator"), listed("registry")));
    PeerCertificates certificates =
        new PeerCertificates(
            membership,
            PKI.node("node-1"),
            Clock.systemUTC(),
            NodeIdentities.of("node-[0-9]+", Set.of("orchestrator")));

    assertThat(certificates.apply("node-2")).isPresent();
    // CA-issued, CN == the listed id, but a service: it may not vote or take part in a DKG
    assertThat(certificates.apply("orchestrator")).isEmpty();
    assertThat(certificates.apply("registry")).isEmpty();
  }

  /** A clock a test moves. */
  private static final class MovableClock extends Clock {
    private volatile Instant now = Instant.now();

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void aCertificateProvenEarlierIsRefusedOnceItHasExpired() {
    ClusterMembership membership = new ClusterMembership();
    membership.update(List.of(listed("node-2")));
    MovableClock clock = new MovableClock();
    PeerCertificates certificates = new PeerCertificates(membership, PKI.node("node-1"), clock);
    assertThat(certificates.apply("node-2")).isPresent();

    clock.now = PKI.credentials("node-2").certificate().getNotAfter().toInstant().plusSeconds(60);

    assertThat(certificates.apply("node-2")).isEmpty();
    String pem = PemFiles.toPem(PKI.credentials("node-2").certificate());
    assertThat(certificates.check("node-2", pem))
        .isInstanceOfSatisfying(
            PeerCertificates.Verdict.Refused.class,
            refused -> assertThat(refused.reason()).isEqualTo("expired"));
  }

  @Test
  void aCertificateProvenForOneNodeDoesNotProveAnother() {
    ClusterMembership membership = new ClusterMembership();
    membership.update(List.of(listed("node-2")));
    PeerCertificates certificates =
        new PeerCertificates(membership, PKI.node("node-1"), Clock.systemUTC());
    String pem = PemFiles.toPem(PKI.credentials("node-2").certificate());
    assertThat(certificates.check("node-2", pem))
        .isInstanceOf(PeerCertificates.Verdict.Accepted.class);

    assertThat(certificates.check("node-3", pem))
        .isInstanceOfSatisfying(
            PeerCertificates.Verdict.Refused.class,
            refused ->
                assertThat(refused.reason()).isEqualTo(PeerCertificates.Verdict.NAME_MISMATCH));
  }
}
