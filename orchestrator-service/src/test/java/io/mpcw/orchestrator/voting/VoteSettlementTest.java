package io.mpcw.orchestrator.voting;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.votes.Decision;
import io.mpcw.votes.VoteRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VoteSettlementTest {

  private final UUID tx = UUID.randomUUID();
  private final VotingRound round =
      new VotingRound(
          tx,
          4,
          5,
          1,
          List.of("node-1", "node-2", "node-3", "node-4", "node-5"),
          Instant.now(),
          Instant.now().plusSeconds(60),
          Optional.empty());

  @Test
  void fourApprovalsOfFiveSettleTheVoteWithoutTheFifth() {
    Map<String, VoteRecord> answers = answers(Decision.APPROVE, "node-1", "node-2", "node-3");
    assertThat(VoteAsking.settles(round, answers)).isFalse();

    answers.putAll(answers(Decision.APPROVE, "node-4"));

    assertThat(VoteAsking.settles(round, answers)).isTrue();
  }

  @Test
  void twoRejectionsOfFiveSettleItBecauseFourApprovalsAreNoLongerPossible() {
    Map<String, VoteRecord> answers = answers(Decision.REJECT, "node-1");
    answers.putAll(answers(Decision.APPROVE, "node-2", "node-3"));
    assertThat(VoteAsking.settles(round, answers)).isFalse();

    answers.putAll(answers(Decision.REJECT, "node-4"));

    assertThat(VoteAsking.settles(round, answers)).isTrue();
  }

  @Test
  void answersOfNodesOutsideTheRoundAreNotCounted() {
    Map<String, VoteRecord> answers = answers(Decision.APPROVE, "node-1", "node-2", "node-3");
    answers.putAll(answers(Decision.APPROVE, "node-9"));

    assertThat(VoteAsking.settles(round, answers)).isFalse();
  }

  private Map<String, VoteRecord> answers(Decision decision, String... nodes) {
    Map<String, VoteRecord> answers = new HashMap<>();
    for (String node : nodes) {
      answers.put(
          node, VoteRecord.unsigned(tx, node, decision, "policy", "00".repeat(32), Instant.now()));
    }
    return answers;
  }
}
