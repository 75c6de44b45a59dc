package io.mpcw.node.registry;

import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.transport.pki.PemFiles;
import io.mpcw.transport.pki.PkiException;
import java.security.cert.X509Certificate;
import java.time.Clock;
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

  /** Parsed certificates by PEM text: a node that registers with a new certificate is re-read. */
  private final Map<String, X509Certificate> parsed = new ConcurrentHashMap<>();

  public PeerCertificates(ClusterMembership membership, NodeIdentity self, Clock clock) {
    this.membership = membership;
    this.self = self;
    this.clock = clock;
  }

  @Override
  public Optional<X509Certificate> apply(String nodeId) {
    if (nodeId.equals(self.nodeId())) {
      return Optional.of(self.certificate());
    }
    return membership.certificatePem(nodeId).flatMap(pem -> checked(nodeId, pem));
  }

  private Optional<X509Certificate> checked(String nodeId, String pem) {
    X509Certificate certificate;
    try {
      if (parsed.size() > 4 * Math.max(16, membership.nodes().size())) {
        // certificates replaced many times over: forget the old ones
        parsed.clear();
      }
      certificate = parsed.computeIfAbsent(pem, PemFiles::parseCertificate);
    } catch (PkiException e) {
      log.warn("the registry lists an unreadable certificate for {}", nodeId);
      return Optional.empty();
    }
    try {
      PeerIdentity proven =
          PeerIdentity.fromCertificate(certificate, self.clusterCa(), clock.instant());
      if (!proven.name().equals(nodeId)) {
        log.warn("the registry lists a certificate of {} for {}; ignored", proven.name(), nodeId);
        return Optional.empty();
      }
      return Optional.of(certificate);
    } catch (PeerIdentity.UntrustedPeerException e) {
      log.warn("the certificate the registry lists for {} is refused: {}", nodeId, e.getMessage());
      return Optional.empty();
    }
  }
}
