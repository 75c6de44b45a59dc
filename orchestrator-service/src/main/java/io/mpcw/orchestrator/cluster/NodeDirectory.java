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
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where each node listens and which certificate vouches for its votes. Certificates come from the
 * registry (or, for a local cluster, the PKI directory) and are trusted only when they chain to the
 * cluster CA and name the node.
 */
@Component
public class NodeDirectory {
  private static final Logger log = LoggerFactory.getLogger(NodeDirectory.class);
  private final Supplier<List<ClusterNode>> listed;
  private final Clock clock;
  private final ClusterTrust trust;
  // the registry hands out the same PEM text on every stage of every payment
  private final Map<String, Optional<X509Certificate>> parsed =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicReference<Checked> checked = new AtomicReference<>();

  @Autowired
  public NodeDirectory(RegistryClient registry, ClusterTrust trust) {
    this(registry::allNodes, trust, Clock.systemUTC());
  }

  /**
   * @param listed the nodes as the registry client lists them: the same list object until it reads
   *     the registry again
   */
  NodeDirectory(Supplier<List<ClusterNode>> listed, ClusterTrust trust, Clock clock) {
    this.listed = listed;
    this.trust = trust;
    this.clock = clock;
  }

  /** A node as the orchestrator may use it. */
  public record KnownNode(
      String nodeId, Optional<Endpoint> endpoint, Optional<X509Certificate> certificate) {}

  public Map<String, KnownNode> nodes() {
    List<ClusterNode> listed = this.listed.get();
    X509Certificate ca = trust.ca();
    Instant now = clock.instant();
    Checked last = checked.get();
    if (last != null && last.listed() == listed && last.ca() == ca && last.holdsAt(now)) {
      return new HashMap<>(last.known());
    }
    Map<String, KnownNode> known = new HashMap<>();
    for (ClusterNode node : listed) {
      known.put(node.nodeId(), new KnownNode(node.nodeId(), endpoint(node), certificate(node)));
    }
    checked.set(Checked.of(listed, ca, known));
    return known;
  }

  /**
   * The nodes made from one node list (the registry hands out the same list object until it reads
   * again): every stage of every payment asks, and checking each node's certificate again (issuer,
   * constraints, subject name) was a few per cent of the orchestrator's CPU under load. Reused only
   * for that very list and CA, and only while every certificate in it is within its validity.
   */
  private record Checked(
      List<ClusterNode> listed,
      X509Certificate ca,
      Map<String, KnownNode> known,
      Instant validFrom,
      Instant validUntil) {
    static Checked of(List<ClusterNode> listed, X509Certificate ca, Map<String, KnownNode> known) {
      Instant from = Instant.MIN;
      Instant until = Instant.MAX;
      for (KnownNode node : known.values()) {
        if (node.certificate().isPresent()) {
          X509Certificate cert = node.certificate().get();
          Instant notBefore = cert.getNotBefore().toInstant();
          Instant notAfter = cert.getNotAfter().toInstant();
          from = notBefore.isAfter(from) ? notBefore : from;
          until = notAfter.isBefore(until) ? notAfter : until;
        }
      }
      return new Checked(listed, ca, Map.copyOf(known), from, until);
    }

    boolean holdsAt(Instant now) {
      return !now.isBefore(validFrom) && !now.isAfter(validUntil);
    }
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
      return PeerIdentity.fromCertificate(cert, trust.ca(), clock.instant()).name().equals(nodeId);
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
