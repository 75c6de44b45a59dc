package io.mpcw.votes;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The counted state of a vote.
 *
 * @param approvals nodes with a valid approval of the expected digest
 * @param rejections nodes with a valid rejection of this payment, and their reasons
 * @param evidence Byzantine evidence by node; such nodes' votes are not counted
 * @param valid every vote record that verified, by node (what a signer may check)
 */
public record Tally(
    Outcome outcome,
    String reason,
    Set<String> approvals,
    Map<String, String> rejections,
    Map<String, List<Evidence>> evidence,
    Map<String, VoteRecord> valid) {

  public enum Outcome {
    UNDECIDED,
    APPROVED,
    REJECTED,
    ABORTED_BYZANTINE
  }

  public boolean isDecided() {
    return outcome != Outcome.UNDECIDED;
  }
}
