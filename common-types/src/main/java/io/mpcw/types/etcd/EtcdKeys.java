package io.mpcw.types.etcd;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The etcd key schema shared by nodes and the orchestrator (prefix configurable, default {@code
 * /mpcw}). Every key lives under the prefix of the one identity that may write it, so etcd's
 * role-based access control (which grants key ranges, not patterns) can confine each identity to
 * its own records; see {@link EtcdAccessPolicy}.
 *
 * <ul>
 *   <li>{@code {prefix}/nodes/{node_id}/votes/{tx_id}} → the node's signed vote record
 *   <li>{@code {prefix}/nodes/{node_id}/locks/{tx_id}} → txid of the one transaction this node
 *       signs for this payment
 *   <li>{@code {prefix}/nodes/{node_id}/shares/{tx_id}/{session_id}} → the node's signed record of
 *       its round-2 shares of one FROST session, written before they leave the node
 *   <li>{@code {prefix}/orchestrator/decisions/{tx_id}} → the orchestrator's final decision; once
 *       it exists no vote is recorded
 *   <li>{@code {prefix}/orchestrator/aborts/{tx_id}/{session_id}} → present once the session was
 *       abandoned while incomplete; no share is recorded for it afterwards
 * </ul>
 */
public record EtcdKeys(String prefix) {
  public static final String DEFAULT_PREFIX = "/mpcw";
  private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9_.-]+)+");
  private static final Pattern NODE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  public EtcdKeys {
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "etcd key prefix must look like /name[/name...], not " + prefix);
    }
  }

  public static EtcdKeys defaults() {
    return new EtcdKeys(DEFAULT_PREFIX);
  }

  /** Everything of this cluster (ends with '/'). */
  public String all() {
    return prefix + "/";
  }

  /** Every key one node may write (ends with '/'). */
  public String nodeRecords(String nodeId) {
    return prefix + "/nodes/" + requireNodeId(nodeId) + "/";
  }

  /** Every key the orchestrator may write (ends with '/'). */
  public String orchestratorRecords() {
    return prefix + "/orchestrator/";
  }

  /** The kinds of record under each identity's prefix, one prefix each (all end with '/'). */
  public String nodeVotes(String nodeId) {
    return nodeRecords(nodeId) + "votes/";
  }

  public String nodeLocks(String nodeId) {
    return nodeRecords(nodeId) + "locks/";
  }

  public String nodeShares(String nodeId) {
    return nodeRecords(nodeId) + "shares/";
  }

  public String decisions() {
    return orchestratorRecords() + "decisions/";
  }

  public String aborts() {
    return orchestratorRecords() + "aborts/";
  }

  public String vote(UUID txId, String nodeId) {
    return nodeVotes(nodeId) + txId;
  }

  public String decision(UUID txId) {
    return decisions() + txId;
  }

  /** The transaction one node signs for a payment (written by that node before its first share). */
  public String signingLock(UUID txId, String nodeId) {
    return nodeLocks(nodeId) + txId;
  }

  public String signingShare(UUID txId, UUID sessionId, String nodeId) {
    return nodeShares(nodeId) + txId + "/" + sessionId;
  }

  public String signingAborted(UUID txId, UUID sessionId) {
    return aborts() + txId + "/" + sessionId;
  }

  /** The key that ends a prefix range in etcd: the prefix with its last byte incremented. */
  public static String rangeEnd(String keyPrefix) {
    if (keyPrefix.isEmpty() || keyPrefix.charAt(keyPrefix.length() - 1) >= 0x7f) {
      throw new IllegalArgumentException("not an ASCII key prefix: " + keyPrefix);
    }
    char last = keyPrefix.charAt(keyPrefix.length() - 1);
    return keyPrefix.substring(0, keyPrefix.length() - 1) + (char) (last + 1);
  }

  public static boolean isNodeId(String id) {
    return id != null && NODE_ID.matcher(id).matches();
  }

  private static String requireNodeId(String nodeId) {
    if (!isNodeId(nodeId)) {
      throw new IllegalArgumentException("not a node id: " + nodeId);
    }
    return nodeId;
  }
}
