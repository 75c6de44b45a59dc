package io.mpcw.node.journal;

import io.mpcw.protocol.signing.EtcdApprovalCheck;
import io.mpcw.votes.VoteRecord;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The approvals this node signed, as entries {@code voted <tx_id> <sha256>} of its journal: SHA-256
 * over the record's signing payload (length-prefixed) and its signature, written before the vote is
 * cast. The signers' approval check counts a record in etcd under this node's name without
 * verifying its signature only when it hashes to the entry of its transaction: the node signed
 * those very bytes. Anything else under its name (a record forged by whoever can write to etcd) is
 * verified like any other node's.
 *
 * <p>Nothing depends on an entry being there: without one the record is verified. So entries expire
 * with the daily window at start, and memory keeps only the latest {@link #REMEMBERED}.
 */
public final class JournalOwnVotes implements EtcdApprovalCheck.OwnVotes {
  static final String KIND = "voted";
  static final int REMEMBERED = 100_000;

  private final String nodeId;
  private final NodeJournal journal;
  private final Clock clock;
  private final Map<UUID, byte[]> hashes =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, byte[]> eldest) {
          return size() > REMEMBERED;
        }
      };

  public JournalOwnVotes(String nodeId, NodeJournal journal, Clock clock) {
    this.nodeId = nodeId;
    this.journal = journal;
    this.clock = clock;
    for (NodeJournal.Entry entry : journal.entries()) {
      if (KIND.equals(entry.kind())) {
        hashes.put(
            UUID.fromString(entry.fields().get(0)), HexFormat.of().parseHex(entry.fields().get(1)));
      }
    }
  }

  /** Whether journal entries of {@code kind} are this record's (they expire with the window). */
  public static boolean owns(String kind) {
    return KIND.equals(kind);
  }

  /**
   * Records a vote this node signed, on disk before it returns: call it before the vote leaves.
   *
   * @throws JournalException when it could not be written; the vote must not be cast then
   */
  public void record(VoteRecord vote) {
    if (!vote.nodeId().equals(nodeId)) {
      throw new IllegalArgumentException("not this node's vote: " + vote.nodeId());
    }
    byte[] signature =
        vote.signatureBytes().orElseThrow(() -> new IllegalArgumentException("unsigned vote"));
    byte[] hash = hash(vote.signingPayload(), signature);
    journal.append(
        new NodeJournal.Entry(
            KIND,
            clock.instant(),
            List.of(vote.txId().toString(), HexFormat.of().formatHex(hash))));
    synchronized (this) {
      hashes.put(vote.txId(), hash);
    }
  }

  @Override
  public boolean signedHere(String nodeId, UUID txId, byte[] signingPayload, byte[] signature) {
    if (!this.nodeId.equals(nodeId)) {
      return false;
    }
    byte[] recorded;
    synchronized (this) {
      recorded = hashes.get(txId);
    }
    return recorded != null && MessageDigest.isEqual(recorded, hash(signingPayload, signature));
  }

  private static byte[] hash(byte[] signingPayload, byte[] signature) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(ByteBuffer.allocate(4).putInt(signingPayload.length).array());
      sha256.update(signingPayload);
      sha256.update(signature);
      return sha256.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
