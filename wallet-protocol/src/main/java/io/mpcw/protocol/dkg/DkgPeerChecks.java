package io.mpcw.protocol.dkg;

import io.mpcw.crypto.dkg.Round1Package;
import io.mpcw.crypto.dkg.Round2Package;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.IdentityKeys;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * What this node checks of its peers' DKG contributions, trusting the relaying coordinator with
 * nothing: every round-1 package and echo is there exactly once, each echo is signed by its node
 * and equal to this node's (else the coordinator showed different sets), and each sealed share
 * opens and decodes; and how its own shares and echo go out (sealed, signed). Every refusal caused
 * by a peer names it.
 */
final class DkgPeerChecks {
  private final String nodeId;
  private final IdentityCredentials identity;
  private final Function<String, Optional<X509Certificate>> peerCertificates;
  private final SecureRandom random;

  DkgPeerChecks(
      String nodeId,
      IdentityCredentials identity,
      Function<String, Optional<X509Certificate>> peerCertificates,
      SecureRandom random) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.peerCertificates = Objects.requireNonNull(peerCertificates, "peerCertificates");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** This node's signature over the round-1 set it saw, base64. */
  String signEcho(UUID walletId, byte[] echo) {
    byte[] signature =
        IdentityKeys.sign(identity, DkgTranscript.echoSigningPayload(walletId, nodeId, echo));
    return Base64.getEncoder().encodeToString(signature);
  }

  /** A round-2 share sealed to {@code peer}, bound to the echo; the plaintext zeroed after. */
  String seal(UUID walletId, byte[] echo, String peer, Round2Package share) {
    byte[] plaintext = share.encode();
    try {
      return SealedShare.seal(
          identity, certificateOf(peer), walletId, echo, nodeId, peer, plaintext, random);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  void checkEchoes(UUID walletId, DkgSession session, Map<String, SignedEcho> echoes, byte[] own) {
    requireExactly(session.participants(), echoes.keySet(), "echoes");
    List<String> differing = new ArrayList<>();
    for (String node : session.participants()) {
      SignedEcho signed = echoes.get(node);
      byte[] echo = decodeHex(node, signed.echo(), "echo");
      byte[] signature;
      try {
        signature = Base64.getDecoder().decode(signed.signature());
      } catch (IllegalArgumentException e) {
        throw culprit(node, "echo signature is not base64");
      }
      byte[] payload = DkgTranscript.echoSigningPayload(walletId, node, echo);
      if (!IdentityKeys.verify(certificateOf(node), payload, signature)) {
        throw culprit(node, "echo signature does not verify under its certificate");
      }
      if (!Arrays.equals(echo, own)) {
        differing.add(node);
      }
    }
    if (!differing.isEmpty()) {
      StringBuilder detail = new StringBuilder();
      for (String node : differing) {
        detail.append(detail.length() == 0 ? "" : "; ");
        detail.append("culprit=").append(node).append(": saw a different round-1 set than ");
        detail.append(nodeId);
      }
      throw new ProtocolException(ProtocolErrors.DKG_ECHO_MISMATCH, detail.toString());
    }
  }

  Map<Identifier, Round2Package> openShares(
      UUID walletId, byte[] attempt, DkgSession session, Map<String, String> sealed) {
    List<String> peers =
        session.participants().stream().filter(node -> !node.equals(nodeId)).toList();
    requireExactly(peers, sealed.keySet(), "sealed shares");
    Map<Identifier, Round2Package> shares = new TreeMap<>();
    for (String peer : peers) {
      byte[] plaintext =
          SealedShare.open(
              identity, certificateOf(peer), walletId, attempt, peer, nodeId, sealed.get(peer));
      try {
        shares.put(
            Identifier.of(session.participants().indexOf(peer) + 1),
            Round2Package.decode(plaintext));
      } catch (IllegalArgumentException e) {
        throw culprit(peer, "sealed share is not a DKG share");
      } finally {
        Arrays.fill(plaintext, (byte) 0);
      }
    }
    return shares;
  }

  static Map<String, byte[]> receivedRound1(DkgSession session, Map<String, String> packages) {
    requireExactly(session.participants(), packages.keySet(), "round-1 packages");
    Map<String, byte[]> received = new HashMap<>();
    packages.forEach((node, hex) -> received.put(node, decodeHex(node, hex, "round-1 package")));
    return received;
  }

  static Round1Package decodeRound1(String node, byte[] bytes) {
    try {
      return Round1Package.decode(bytes);
    } catch (IllegalArgumentException e) {
      throw culprit(node, "round-1 package is unreadable");
    }
  }

  private static byte[] decodeHex(String node, String hex, String what) {
    try {
      return Hex.decode(hex);
    } catch (IllegalArgumentException e) {
      throw culprit(node, what + " is not hex");
    }
  }

  private static void requireExactly(List<String> expected, Set<String> actual, String what) {
    if (!actual.equals(Set.copyOf(expected))) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST,
          what + " must come from exactly " + expected + ", got " + new TreeSet<>(actual));
    }
  }

  X509Certificate certificateOf(String node) {
    return peerCertificates
        .apply(node)
        .orElseThrow(() -> culprit(node, "no certificate is known for this participant"));
  }

  static ProtocolException culprit(String node, String why) {
    return new ProtocolException(ProtocolErrors.DKG_CULPRIT, "culprit=" + node + ": " + why);
  }
}
