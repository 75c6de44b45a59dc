package io.mpcw.orchestrator.voting;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.votes.Decision;
import io.mpcw.votes.VoteRecord;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CollectedAnswersTest {
  private final UUID tx = UUID.randomUUID();

  @Test
  void answersBeforeTheCountAreTheCountsToWriteAndNotTheReceivers() {
    CollectedAnswers answers = new CollectedAnswers(Map.of());

    assertThat(answers.add(vote("node-1"))).isFalse();
    assertThat(answers.add(vote("node-2"))).isFalse();
    CollectedAnswers.Counted counted = answers.count();

    assertThat(counted.answers()).containsOnlyKeys("node-1", "node-2");
    assertThat(counted.toWrite())
        .extracting(VoteRecord::nodeId)
        .containsExactly("node-1", "node-2");
  }

  @Test
  void anAnswerAfterTheCountIsTheReceiversToWrite() {
    CollectedAnswers answers = new CollectedAnswers(Map.of());
    answers.add(vote("node-1"));
    answers.count();

    assertThat(answers.add(vote("node-5"))).isTrue();
    assertThat(answers.current()).containsOnlyKeys("node-1", "node-5");
  }

  @Test
  void answersAlreadyInTheMirrorAreCountedButNeverWrittenAgain() {
    CollectedAnswers answers = new CollectedAnswers(Map.of("node-1", vote("node-1")));
    answers.add(vote("node-2"));

    CollectedAnswers.Counted counted = answers.count();

    assertThat(counted.answers()).containsOnlyKeys("node-1", "node-2");
    assertThat(counted.toWrite()).extracting(VoteRecord::nodeId).containsExactly("node-2");
  }

  private VoteRecord vote(String node) {
    return VoteRecord.unsigned(
        tx, node, Decision.APPROVE, "policy", "00".repeat(32), Instant.now());
  }
}
