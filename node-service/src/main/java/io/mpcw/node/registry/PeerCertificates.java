package io.mpcw.node.registry;

import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.transport.pki.PemFiles;
import io.mpcw.transport.pki.PkiException;
import io.mpcw.types.cluster.NodeIdentities;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate of a cluster node, as DKG and approval checks need it: the one the node
 * registered with, accepted only if the cluster CA issued it, it is valid now and its CN is that
 * node id. The registry is not trusted to vouch for a key on its own; the CA is.
 */
public final class PeerCertificates implements Function<String, Optional<X509Certificate>> {

  private static final Logger log = LoggerFactory.getLogger(PeerCertificates.class);

  private final ClusterMembership membership;
  private final NodeIdentity self;
  private final Clock clock;
  private final NodeIdentities nodes;

  /** Parsed certificates by PEM text: a node that registers with a new certificate is re-read. */
  private final Map<String, X509Certificate> parsed = new ConcurrentHashMap<>();

  /**
   * Certificates found to prove a node, by PEM text. Every signer checks up to t approvals per
   * payment, each through its voter's certificate: the chain and the name are checked once per
   * certificate, the validity dates on every use (a proven certificate that expired is checked in
   * full again, and refused).
   */
  private final Map<String, Proven> provenByPem = new ConcurrentHashMap<>();

  private record Proven(String nodeId, X509Certificate certificate) {}

  /** With the default node ids ({@link NodeIdentities#defaults()}). */
  public PeerCertificates(ClusterMembership membership, NodeIdentity self, Clock clock) {
    this(membership, self, clock, NodeIdentities.defaults());
  }

  /**
   * @param nodes the ids that are nodes: a service identity the registry lists (it should not) has
   *     no certificate here, so it can neither vote nor take part in a DKG
   */
  public PeerCertificates(
      ClusterMembership membership, NodeIdentity self, Clock clock, NodeIdentities nodes) {
    this.membership = membership;
    this.self = self;
    this.clock = clock;
    this.nodes = nodes;
  }

  @Override
  public Optional<X509Certificate> apply(String nodeId) {
    if (nodeId.equals(self.nodeId())) {
      return Optional.of(self.certificate());
    }
    if (!nodes.isNode(nodeId)) {
      log.warn("{} is listed as a node but is not a node id: no certificate for it", nodeId);
      return Optional.empty();
    }
    return membership.certificatePem(nodeId).flatMap(pem -> checked(nodeId, pem));
  }

  private Optional<X509Certificate> checked(String nodeId, String pem) {
    Verdict verdict = check(nodeId, pem);
    if (verdict instanceof Verdict.Refused refused) {
      log.warn(
          "the certificate the registry lists for {} is refused ({}): {}",
          nodeId,
          refused.reason(),
          refused.detail());
    }
    return verdict.certificate();
  }

  /**
   * Whether {@code pem} proves {@code nodeId}: readable, issued by the cluster CA, valid now, CN
   * equal to the node id. The peer exchange accepts a reported node only on this verdict.
   */
  public Verdict check(String nodeId, String pem) {
    if (pem == null || pem.isBlank()) {
      return new Verdict.Refused(Verdict.MISSING, "no certificate");
    }
    Proven known = provenByPem.get(pem);
    if (known != null && known.nodeId().equals(nodeId) && withinValidity(known.certificate())) {
      return new Verdict.Accepted(known.certificate());
    }
    X509Certificate certificate;
    try {
      if (parsed.size() > 4 * Math.max(16, membership.members().size())) {
        // certificates replaced many times over: forget the old ones
        parsed.clear();
        provenByPem.clear();
      }
      certificate = parsed.computeIfAbsent(pem, PemFiles::parseCertificate);
    } catch (PkiException e) {
      return new Verdict.Refused(Verdict.UNREADABLE, "not a PEM certificate");
    }
    try {
      PeerIdentity proven =
          PeerIdentity.fromCertificate(certificate, self.clusterCa(), clock.instant());
      if (!proven.name().equals(nodeId)) {
        return new Verdict.Refused(
            Verdict.NAME_MISMATCH, "a certificate of " + proven.name() + " for " + nodeId);
      }
      provenByPem.put(pem, new Proven(nodeId, certificate));
      return new Verdict.Accepted(certificate);
    } catch (PeerIdentity.UntrustedPeerException e) {
      return new Verdict.Refused(e.reason().tag(), e.getMessage());
    }
  }

  private boolean withinValidity(X509Certificate certificate) {
    Instant now = clock.instant();
    return !now.isBefore(certificate.getNotBefore().toInstant())
        && !now.isAfter(certificate.getNotAfter().toInstant());
  }

  /** The outcome of {@link #check}. */
  public sealed interface Verdict {
    /** No certificate was given. */
    String MISSING = "missing_certificate";

    /** The text is not a certificate. */
    String UNREADABLE = "unreadable_certificate";

    /** The CA issued it, but to another identity than the node it is offered for. */
    String NAME_MISMATCH = "name_mismatch";

    Optional<X509Certificate> certificate();

    /** The certificate proves the node. */
    record Accepted(X509Certificate value) implements Verdict {
      @Override
      public Optional<X509Certificate> certificate() {
        return Optional.of(value);
      }
    }

    /**
     * @param reason a metric tag: one of the constants above or a {@link
     *     PeerIdentity.RefusalReason#tag()} ({@code untrusted_issuer}, {@code expired}, ...)
     */
    record Refused(String reason, String detail) implements Verdict {
      @Override
      public Optional<X509Certificate> certificate() {
        return Optional.empty();
      }
    }
  }
}
