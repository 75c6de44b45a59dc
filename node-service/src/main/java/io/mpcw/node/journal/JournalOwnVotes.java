package io.mpcw.node.journal;

import io.mpcw.crypto.hash.Sha256;
import io.mpcw.protocol.signing.EtcdApprovalCheck;
import io.mpcw.votes.VoteRecord;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approvals this node signed, as entries {@code voted <tx_id> <sha256>} of its journal: SHA-256
 * over the record's signing payload (length-prefixed) and its signature. The signers' approval
 * check counts a record in etcd under this node's name without verifying its signature only when it
 * hashes to the entry of its transaction: the node signed those very bytes. Anything else under its
 * name (a record forged by whoever can write to etcd) is verified like any other node's.
 *
 * <p>Nothing depends on an entry being there: without one the record is simply verified. So an
 * entry counts in memory from the moment the vote is signed, and reaches the disk from a writer
 * thread that appends what has queued up with one fsync, off the vote's path (a vote waits for
 * etcd's fsync, not for this one); a crash before that write costs one verification after the
 * restart. Entries expire with the daily window at start, and memory keeps only the latest {@link
 * #REMEMBERED}.
 */
public final class JournalOwnVotes implements EtcdApprovalCheck.OwnVotes, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JournalOwnVotes.class);
  static final String KIND = "voted";

  /** Tells the writer to stop once what precedes it is written (compared by identity). */
  private static final NodeJournal.Entry STOP =
      new NodeJournal.Entry(KIND, Instant.EPOCH, List.of());

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
  private final BlockingQueue<NodeJournal.Entry> unwritten = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean running = true;

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
    writer = new Thread(this::writeLoop, "mpcw-own-votes-" + nodeId);
    writer.setDaemon(true);
    writer.start();
  }

  /** Whether journal entries of {@code kind} are this record's (they expire with the window). */
  public static boolean owns(String kind) {
    return KIND.equals(kind);
  }

  /** Records a vote this node signed: it counts as its own at once, and is journaled soon after. */
  public void record(VoteRecord vote) {
    if (!vote.nodeId().equals(nodeId)) {
      throw new IllegalArgumentException("not this node's vote: " + vote.nodeId());
    }
    byte[] signature =
        vote.signatureBytes().orElseThrow(() -> new IllegalArgumentException("unsigned vote"));
    byte[] hash = hash(vote.signingPayload(), signature);
    synchronized (this) {
      hashes.put(vote.txId(), hash);
    }
    unwritten.add(
        new NodeJournal.Entry(
            KIND,
            clock.instant(),
            List.of(vote.txId().toString(), HexFormat.of().formatHex(hash))));
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

  /**
   * Writes what is queued, then stops the writer. The writer is told by a marker in its queue, not
   * interrupted: an interrupt during a write would close the journal's file channel under it.
   */
  @Override
  public void close() {
    running = false;
    unwritten.add(STOP);
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }

  private void writeLoop() {
    while (running) {
      try {
        NodeJournal.Entry first = unwritten.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        List<NodeJournal.Entry> batch = new ArrayList<>();
        batch.add(first);
        unwritten.drainTo(batch);
        boolean stop = batch.removeIf(e -> e == STOP);
        if (!batch.isEmpty()) {
          write(batch);
        }
        if (stop) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void flush() {
    List<NodeJournal.Entry> batch = new ArrayList<>();
    unwritten.drainTo(batch);
    batch.removeIf(e -> e == STOP);
    if (!batch.isEmpty()) {
      write(batch);
    }
  }

  private void write(List<NodeJournal.Entry> batch) {
    try {
      journal.appendAll(batch);
    } catch (JournalException | IllegalArgumentException e) {
      // only an optimisation is lost: these votes are verified like any other after a restart
      log.warn("{} own vote entries not journaled: {}", batch.size(), e.getMessage());
    }
  }

  private static byte[] hash(byte[] signingPayload, byte[] signature) {
    return Sha256.of(
        ByteBuffer.allocate(4).putInt(signingPayload.length).array(), signingPayload, signature);
  }
}
