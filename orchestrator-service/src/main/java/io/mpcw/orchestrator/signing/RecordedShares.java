package io.mpcw.orchestrator.signing;

import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.protocol.signing.ShareRecord;
import io.mpcw.protocol.signing.SignShareResponse;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads what a session holds: the share records in etcd (only as their signer's when its
 * certificate signed them), the shares in a round-2 reply, the commitments of round 1. Decoding is
 * shared by the live round 2 and by settlement, so both hold a signer to the same checks.
 */
final class RecordedShares {
  private RecordedShares() {}

  /**
   * The record under {@code node}'s key, if {@code node} signed it for this payment (checked with
   * the node's certificate as the directory trusts it; without one nothing can be held against it).
   */
  static Optional<ShareRecord> writtenBy(
      UUID txId, String node, byte[] value, Map<String, NodeDirectory.KnownNode> known) {
    Optional<X509Certificate> certificate =
        Optional.ofNullable(known.get(node)).flatMap(NodeDirectory.KnownNode::certificate);
    if (certificate.isEmpty()) {
      return Optional.empty();
    }
    try {
      ShareRecord record = ShareRecord.decode(value);
      return record.txId().equals(txId) && record.writtenBy(node, certificate.get())
          ? Optional.of(record)
          : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static Map<String, List<SigningCommitments>> decodeCommitments(SigningSession session) {
    Map<String, List<SigningCommitments>> out = new LinkedHashMap<>();
    session
        .commitments()
        .forEach(
            (node, list) ->
                out.put(
                    node,
                    list.stream().map(h -> SigningCommitments.decode(Hex.decode(h))).toList()));
    return out;
  }

  /** A signer's shares for the session, one per input, under its own identifier; else a culprit. */
  static Optional<List<SignatureShare>> decodeShares(
      Wallet wallet,
      UUID session,
      String node,
      SignShareResponse reply,
      int inputs,
      SigningRound round) {
    if (!reply.sessionId().equals(session)
        || !reply.nodeId().equals(node)
        || reply.shares().size() != inputs) {
      round.culprit(node, "round-2 reply does not match the request");
      return Optional.empty();
    }
    List<SignatureShare> out = new ArrayList<>();
    for (String hex : reply.shares()) {
      try {
        SignatureShare share = SignatureShare.decode(Hex.decode(hex));
        if (!share.identifier().equals(Identifier.of(wallet.identifierOf(node)))) {
          round.culprit(node, "share for another identifier");
          return Optional.empty();
        }
        out.add(share);
      } catch (RuntimeException e) {
        round.culprit(node, "unreadable signature share");
        return Optional.empty();
      }
    }
    return Optional.of(out);
  }
}
