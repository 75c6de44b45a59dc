package io.mpcw.node.identity;

import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.IdentityKeys;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.transport.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * Loads a node's credentials and checks them the way its peers will: issued by the cluster CA,
 * valid now, CN equal to the node id, and the key belonging to the certificate. Failing here at
 * startup beats every peer refusing the node later with a less helpful message.
 */
public final class NodeIdentityLoader {

  private static final byte[] KEY_PROBE =
      "mpcw/node-identity-probe".getBytes(StandardCharsets.US_ASCII);

  private NodeIdentityLoader() {}

  public static NodeIdentity load(Path dir, String nodeId, Instant now) {
    ClusterPki pki = new ClusterPki(dir);
    requireFile(pki.certFile("ca"), "the cluster CA certificate");
    requireFile(pki.certFile(nodeId), "the certificate of " + nodeId);
    requireFile(pki.keyFile(nodeId), "the private key of " + nodeId);
    X509Certificate ca;
    IdentityCredentials credentials;
    try {
      ca = pki.caCertificate();
      credentials = pki.loadIdentity(nodeId);
    } catch (PkiException | IllegalArgumentException e) {
      throw new NodeIdentityException(
          "cannot read the credentials of " + nodeId + " in " + dir.toAbsolutePath(), e);
    }
    PeerIdentity proven;
    try {
      proven = PeerIdentity.fromCertificate(credentials.certificate(), ca, now);
    } catch (PeerIdentity.UntrustedPeerException e) {
      throw new NodeIdentityException(
          pki.certFile(nodeId).toAbsolutePath()
              + " is not usable with the cluster CA "
              + pki.certFile("ca").toAbsolutePath()
              + ": "
              + e.getMessage());
    }
    if (!proven.name().equals(nodeId)) {
      throw new NodeIdentityException(
          pki.certFile(nodeId).toAbsolutePath()
              + " is issued to CN="
              + proven.name()
              + ", not to this node "
              + nodeId);
    }
    if (!IdentityKeys.verify(
        credentials.certificate(), KEY_PROBE, IdentityKeys.sign(credentials, KEY_PROBE))) {
      throw new NodeIdentityException(
          pki.keyFile(nodeId).toAbsolutePath()
              + " does not belong to "
              + pki.certFile(nodeId).toAbsolutePath());
    }
    return new NodeIdentity(credentials, ca);
  }

  private static void requireFile(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new NodeIdentityException(
          "missing "
              + what
              + " at "
              + file.toAbsolutePath()
              + ": run ./mpcw pki init (./mpcw up does it) or set MPCW_PKI_DIR");
    }
  }
}
