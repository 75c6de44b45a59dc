package io.mpcw.types.etcd;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The etcd key schema shared by nodes and the orchestrator (prefix configurable, default {@code
 * /mpcw}).
 *
 * <ul>
 *   <li>{@code {prefix}/votes/{tx_id}/{node_id}} → a node's signed vote record
 *   <li>{@code {prefix}/vote_counts/{tx_id}/{digest}} → decimal count
 *   <li>{@code {prefix}/decisions/{tx_id}} → the orchestrator's final decision
 *   <li>{@code {prefix}/signing/{tx_id}} → txid of the one transaction nodes sign for this payment
 *   <li>{@code {prefix}/signing/{tx_id}/sessions/{session_id}/shares/{node_id}} → a signer's
 *       round-2 shares of one FROST session, written before they leave the node
 *   <li>{@code {prefix}/signing/{tx_id}/sessions/{session_id}/aborted} → present once the session
 *       was abandoned while incomplete; no share is recorded for it afterwards
 * </ul>
 */
public record EtcdKeys(String prefix) {
  public static final String DEFAULT_PREFIX = "/mpcw";
  private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9_.-]+)+");
  private static final Pattern NODE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

  public EtcdKeys {
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "etcd key prefix must look like /name[/name...], not " + prefix);
    }
  }

  public static EtcdKeys defaults() {
    return new EtcdKeys(DEFAULT_PREFIX);
  }

  public String vote(UUID txId, String nodeId) {
    return votesOf(txId) + requireNodeId(nodeId);
  }

  /** Prefix of every vote record of one transaction (ends with '/'). */
  public String votesOf(UUID txId) {
    return prefix + "/votes/" + txId + "/";
  }

  public String voteCount(UUID txId, String digestHex) {
    if (!DIGEST.matcher(digestHex).matches()) {
      throw new IllegalArgumentException("digest must be 64 lowercase hex characters");
    }
    return voteCountsOf(txId) + digestHex;
  }

  public String voteCountsOf(UUID txId) {
    return prefix + "/vote_counts/" + txId + "/";
  }

  public String decision(UUID txId) {
    return prefix + "/decisions/" + txId;
  }

  /** Binds a payment to the one transaction the nodes sign for it (written by the first signer). */
  public String signingLock(UUID txId) {
    return prefix + "/signing/" + txId;
  }

  /** Prefix of every key of one signing session (ends with '/'). */
  public String signingSession(UUID txId, UUID sessionId) {
    return signingLock(txId) + "/sessions/" + sessionId + "/";
  }

  /** Prefix of the recorded shares of one signing session (ends with '/'). */
  public String signingSharesOf(UUID txId, UUID sessionId) {
    return signingSession(txId, sessionId) + "shares/";
  }

  public String signingShare(UUID txId, UUID sessionId, String nodeId) {
    return signingSharesOf(txId, sessionId) + requireNodeId(nodeId);
  }

  public String signingAborted(UUID txId, UUID sessionId) {
    return signingSession(txId, sessionId) + "aborted";
  }

  private static String requireNodeId(String nodeId) {
    if (!NODE_ID.matcher(nodeId).matches()) {
      throw new IllegalArgumentException("not a node id: " + nodeId);
    }
    return nodeId;
  }
}
