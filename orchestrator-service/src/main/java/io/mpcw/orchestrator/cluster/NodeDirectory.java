package io.mpcw.orchestrator.cluster;

import io.mpcw.orchestrator.registry.ClusterNode;
import io.mpcw.orchestrator.registry.RegistryClient;
import io.mpcw.orchestrator.trust.ClusterTrust;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.pki.PeerIdentity;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where each node listens and which certificate vouches for its votes. Certificates come from the
 * registry (or, for a local cluster, the PKI directory) and are trusted only when they chain to the
 * cluster CA and name the node.
 */
@Component
public class NodeDirectory {
  private static final Logger log = LoggerFactory.getLogger(NodeDirectory.class);
  private final RegistryClient registry;
  private final ClusterTrust trust;
  // the registry hands out the same PEM text on every stage of every payment
  private final Map<String, Optional<X509Certificate>> parsed =
      new java.util.concurrent.ConcurrentHashMap<>();

  public NodeDirectory(RegistryClient registry, ClusterTrust trust) {
    this.registry = registry;
    this.trust = trust;
  }

  /** A node as the orchestrator may use it. */
  public record KnownNode(
      String nodeId, Optional<Endpoint> endpoint, Optional<X509Certificate> certificate) {}

  public Map<String, KnownNode> nodes() {
    Map<String, KnownNode> known = new HashMap<>();
    for (ClusterNode node : registry.allNodes()) {
      known.put(node.nodeId(), new KnownNode(node.nodeId(), endpoint(node), certificate(node)));
    }
    return known;
  }

  private static Optional<Endpoint> endpoint(ClusterNode node) {
    String address = node.quicAddress();
    if (address == null) {
      return Optional.empty();
    }
    int colon = address.lastIndexOf(':');
    try {
      String host = address.substring(0, colon).replace("[", "").replace("]", "");
      int port = Integer.parseInt(address.substring(colon + 1));
      return Optional.of(new Endpoint(host, port, node.nodeId()));
    } catch (RuntimeException e) {
      log.warn("node {} advertises an unusable QUIC address", node.nodeId());
      return Optional.empty();
    }
  }

  private Optional<X509Certificate> certificate(ClusterNode node) {
    Optional<X509Certificate> cert =
        Optional.ofNullable(node.certificate()).flatMap(this::parseRemembered);
    if (cert.isEmpty()) {
      Path file = trust.files().certFile(node.nodeId());
      if (Files.exists(file)) {
        try {
          cert = parse(Files.readString(file));
        } catch (java.io.IOException e) {
          cert = Optional.empty();
        }
      }
    }
    return cert.filter(c -> vouchesFor(c, node.nodeId()));
  }

  private boolean vouchesFor(X509Certificate cert, String nodeId) {
    try {
      return PeerIdentity.fromCertificate(cert, trust.ca(), Instant.now()).name().equals(nodeId);
    } catch (CertificateException e) {
      log.warn("certificate offered for {} is not trusted: {}", nodeId, e.getMessage());
      return false;
    }
  }

  private Optional<X509Certificate> parseRemembered(String pem) {
    if (parsed.size() > 1_000) {
      parsed.clear();
    }
    return parsed.computeIfAbsent(pem, NodeDirectory::parse);
  }

  static Optional<X509Certificate> parse(String pem) {
    try (InputStream in = new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))) {
      return Optional.of(
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    } catch (CertificateException | java.io.IOException e) {
      return Optional.empty();
    }
  }
}
