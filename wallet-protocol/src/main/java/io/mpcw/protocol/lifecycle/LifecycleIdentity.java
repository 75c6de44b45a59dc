package io.mpcw.protocol.lifecycle;

import static io.mpcw.protocol.lifecycle.LifecycleRefusals.culprit;

import io.mpcw.crypto.ec.Scalar;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.dkg.SealedShare;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.IdentityKeys;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * This node's identity in the lifecycle steps and what it knows of its peers': it seals a secret
 * scalar to one peer and opens one sealed to it (the plaintext bytes zeroed either way), and signs
 * and checks the acknowledgements of a new public key package.
 */
final class LifecycleIdentity {
  private final String nodeId;
  private final IdentityCredentials identity;
  private final Function<String, Optional<X509Certificate>> peerCertificates;
  private final SecureRandom random;

  LifecycleIdentity(
      String nodeId,
      IdentityCredentials identity,
      Function<String, Optional<X509Certificate>> peerCertificates,
      SecureRandom random) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.peerCertificates = Objects.requireNonNull(peerCertificates, "peerCertificates");
    this.random = Objects.requireNonNull(random, "random");
  }

  String nodeId() {
    return nodeId;
  }

  IdentityCredentials credentials() {
    return identity;
  }

  Function<String, Optional<X509Certificate>> peerCertificates() {
    return peerCertificates;
  }

  X509Certificate certificateOf(String node) {
    return peerCertificates
        .apply(node)
        .orElseThrow(() -> culprit(node, "no certificate is known for this participant"));
  }

  /** {@code value} sealed from this node to {@code receiver}, bound to {@code binding}. */
  String seal(UUID walletId, byte[] binding, String receiver, Scalar value) {
    byte[] plaintext = value.encode();
    try {
      return SealedShare.seal(
          identity,
          certificateOf(receiver),
          walletId,
          binding,
          nodeId,
          receiver,
          plaintext,
          random);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /**
   * The scalar {@code sender} sealed to this node; {@code what} names it in the refusal that blames
   * the sender when the box does not open or holds no scalar.
   */
  Scalar open(UUID walletId, byte[] binding, String sender, String box, String what) {
    byte[] plaintext;
    try {
      plaintext =
          SealedShare.open(identity, certificateOf(sender), walletId, binding, sender, nodeId, box);
    } catch (ProtocolException e) {
      throw culprit(sender, "sealed " + what + " refused: " + e.getMessage());
    }
    try {
      return Scalar.decode(plaintext);
    } catch (IllegalArgumentException e) {
      throw culprit(sender, "sealed " + what + " is not a scalar");
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /** This node's signed word that it staged a share of {@code publicKeys} for the epoch. */
  String acknowledge(UUID walletId, long epoch, byte[] publicKeys) {
    byte[] ack =
        IdentityKeys.sign(
            identity, LifecycleTranscript.ackPayload(walletId, epoch, nodeId, publicKeys));
    return Base64.getEncoder().encodeToString(ack);
  }

  /**
   * Every one of {@code participants}, and no one else, acknowledged staging a share of {@code
   * publicKeys}: only then may a node let its old share go.
   */
  void requireAcks(
      UUID walletId,
      long epoch,
      Set<String> participants,
      Map<String, String> acks,
      byte[] publicKeys) {
    LifecycleRefusals.requireExactly(participants, acks.keySet(), "acknowledgements");
    for (String node : participants) {
      byte[] signature;
      try {
        signature = Base64.getDecoder().decode(acks.get(node));
      } catch (IllegalArgumentException e) {
        throw culprit(node, "acknowledgement is not base64");
      }
      byte[] payload = LifecycleTranscript.ackPayload(walletId, epoch, node, publicKeys);
      if (!IdentityKeys.verify(certificateOf(node), payload, signature)) {
        throw culprit(node, "acknowledgement does not verify for this public key package");
      }
    }
  }
}
