package io.mpcw.orchestrator.voting;

import io.mpcw.votes.VoteRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes' answers of one voting round as they arrive. Until the stage counts them they are kept
 * here, not written: the stage writes them to the mirror with the decision, in the decision's own
 * database transaction (one statement instead of one autocommitted insert per node). An answer that
 * arrives after the count is written to the mirror at once by whoever receives it.
 *
 * <p>Why holding them is safe: the count is made from etcd's signed records, never from the mirror,
 * so an answer lost with a crashed orchestrator costs only a question: the next attempt asks that
 * node again, and the node answers with the vote it recorded in etcd.
 */
final class CollectedAnswers {
  private final Map<String, VoteRecord> byNode = new HashMap<>();
  private final List<VoteRecord> unwritten = new ArrayList<>();
  private boolean counted;

  /** Starts from the answers the mirror already holds (written, so never written again). */
  CollectedAnswers(Map<String, VoteRecord> mirrored) {
    byNode.putAll(mirrored);
  }

  /**
   * Adds a node's answer.
   *
   * @return true when the stage has counted already: the caller writes this answer itself
   */
  synchronized boolean add(VoteRecord vote) {
    byNode.put(vote.nodeId(), vote);
    if (counted) {
      return true;
    }
    unwritten.add(vote);
    return false;
  }

  /** A copy of the answers in so far, by node. */
  synchronized Map<String, VoteRecord> current() {
    return new HashMap<>(byNode);
  }

  /**
   * What the stage counts: every answer in, and those it must write (the rest are in the mirror).
   * Answers that arrive later are the receiver's to write.
   */
  synchronized Counted count() {
    counted = true;
    Counted taken = new Counted(new HashMap<>(byNode), List.copyOf(unwritten));
    unwritten.clear();
    return taken;
  }

  /**
   * @param answers every answer, by node
   * @param toWrite the answers not in the mirror yet
   */
  record Counted(Map<String, VoteRecord> answers, List<VoteRecord> toWrite) {
    /** Answers read back from the mirror: all written. */
    static Counted mirrored(Map<String, VoteRecord> answers) {
      return new Counted(answers, List.of());
    }
  }
}
