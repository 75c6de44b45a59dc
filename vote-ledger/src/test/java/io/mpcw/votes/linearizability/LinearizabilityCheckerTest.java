package io.mpcw.votes.linearizability;

import static io.mpcw.votes.linearizability.History.NEVER;
import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.votes.linearizability.FinalStateInvariants.StoredDecision;
import io.mpcw.votes.linearizability.FinalStateInvariants.StoredTx;
import io.mpcw.votes.linearizability.FinalStateInvariants.StoredVote;
import io.mpcw.votes.linearizability.History.Op;
import io.mpcw.votes.linearizability.LedgerModel.Call;
import io.mpcw.votes.linearizability.LedgerModel.Cast;
import io.mpcw.votes.linearizability.LedgerModel.Counted;
import io.mpcw.votes.linearizability.LedgerModel.Decide;
import io.mpcw.votes.linearizability.LedgerModel.Duplicate;
import io.mpcw.votes.linearizability.LedgerModel.Indeterminate;
import io.mpcw.votes.linearizability.LedgerModel.Late;
import io.mpcw.votes.linearizability.LedgerModel.Observed;
import io.mpcw.votes.linearizability.LedgerModel.Outcome;
import io.mpcw.votes.linearizability.LedgerModel.Read;
import io.mpcw.votes.linearizability.LedgerModel.Stands;
import io.mpcw.votes.linearizability.LedgerModel.State;
import io.mpcw.votes.linearizability.LedgerModel.Vote;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The checker on hand-made histories: it must reject the broken ones, not only accept. */
class LinearizabilityCheckerTest {
  private static final UUID TX = UUID.fromString("00000000-0000-0000-0000-000000000007");
  private static final String A = "a".repeat(64);
  private static final String R = "b".repeat(64);

  private final List<Op> ops = new ArrayList<>();

  // ---- histories that are NOT linearizable ----

  @Test
  void rejectsTwoCountedAcksForTheSameNode() {
    op(cast("n1", A, "r1"), new Counted(), 0, 10);
    op(cast("n1", A, "r2"), new Counted(), 20, 30);

    assertRejected();
  }

  @Test
  void rejectsTwoConcurrentCountedAcksForTheSameNodeInEitherOrder() {
    op(cast("n1", A, "r1"), new Counted(), 0, 10);
    op(cast("n1", R, "r2"), new Counted(), 5, 15);

    assertRejected();
  }

  @Test
  void rejectsAReadThatSeesAVoteOfANodeThatNeverCast() {
    op(cast("n1", A, "r1"), new Counted(), 0, 10);
    op(
        new Read(),
        observed(Map.of("n1", new Vote(A, "r1"), "n2", new Vote(A, "r2")), null),
        20,
        30);

    assertRejected();
  }

  @Test
  void rejectsAReadThatSeesAVoteInvokedOnlyAfterTheReadReturned() {
    op(cast("n1", A, "r1"), new Counted(), 0, 10);
    op(
        new Read(),
        observed(Map.of("n1", new Vote(A, "r1"), "n2", new Vote(A, "r2")), null),
        20,
        30);
    op(cast("n2", A, "r2"), new Counted(), 40, 50);

    assertRejected();
  }

  @Test
  void rejectsAStaleReadThatMissesACompletedVote() {
    op(cast("n1", A, "r1"), new Counted(), 0, 10);
    op(new Read(), observed(Map.of(), null), 20, 30);

    assertRejected();
  }

  @Test
  void rejectsALateResultBeforeAnyDecideWasInvoked() {
    op(cast("n1", A, "r1"), new Late(), 0, 10);
    op(new Decide("approved#1"), new Stands("approved#1"), 20, 30);

    assertRejected();
  }

  @Test
  void rejectsAVoteCountedAfterADecideCompleted() {
    op(cast("n1", A, "r1"), new Counted(), 0, 10);
    op(new Decide("approved#1"), new Stands("approved#1"), 20, 30);
    op(cast("n2", A, "r2"), new Counted(), 40, 50);

    assertRejected();
  }

  @Test
  void rejectsTwoDecidesThatBothWon() {
    op(new Decide("approved#1"), new Stands("approved#1"), 0, 10);
    op(new Decide("rejected#2"), new Stands("rejected#2"), 5, 15);

    assertRejected();
  }

  @Test
  void rejectsAnIndeterminateVoteExplainingAReadThatReturnedBeforeItWasInvoked() {
    op(new Read(), observed(Map.of("n1", new Vote(A, "r1")), null), 0, 10);
    op(cast("n1", A, "r1"), new Indeterminate("timeout"), 20, NEVER);

    assertRejected();
  }

  @Test
  void rejectsAVoteThatAppearsAndThenDisappears() {
    op(cast("n1", A, "r1"), new Indeterminate("timeout"), 0, NEVER);
    op(new Read(), observed(Map.of("n1", new Vote(A, "r1")), null), 10, 20);
    op(new Read(), observed(Map.of(), null), 30, 40);

    assertRejected();
  }

  @Test
  void rejectsADuplicateAnswerNamingTheCallersOwnRecordWhenNoOneElseCastIt() {
    // what a cast whose first attempt applied but timed out, and whose retry then found its own
    // vote, used to return: "already voted, no counter moved" although this call moved it
    op(cast("n1", A, "r1"), new Duplicate("r1"), 0, 10);
    op(new Read(), observed(Map.of("n1", new Vote(A, "r1")), null), 20, 30);

    assertRejected();
  }

  // ---- histories that are linearizable ----

  @Test
  void acceptsConcurrentVotesOfDifferentNodesAllCounted() {
    op(cast("n1", A, "r1"), new Counted(), 0, 10);
    op(cast("n2", A, "r2"), new Counted(), 5, 15);
    op(cast("n3", R, "r3"), new Counted(), 6, 16);

    assertAccepted();
  }

  @Test
  void acceptsFiveFullyOverlappingVotesAllCounted() {
    for (int i = 0; i < 5; i++) {
      op(cast("n" + i, A, "r" + i), new Counted(), i, 100 + i);
    }

    assertAccepted();
  }

  @Test
  void acceptsAnIndeterminateVoteThatTookEffectLate() {
    op(cast("n1", A, "r1"), new Indeterminate("timeout"), 0, NEVER);
    op(new Read(), observed(Map.of(), null), 10, 20);
    op(new Read(), observed(Map.of("n1", new Vote(A, "r1")), null), 30, 40);
    op(cast("n2", A, "r2"), new Counted(), 50, 60);

    assertAccepted();
  }

  @Test
  void acceptsAnIndeterminateVoteThatNeverTookEffect() {
    op(cast("n1", A, "r1"), new Indeterminate("timeout"), 0, NEVER);
    op(cast("n2", A, "r2"), new Counted(), 50, 60);
    op(new Read(), observed(Map.of("n2", new Vote(A, "r2")), null), 70, 80);

    assertAccepted();
  }

  @Test
  void acceptsARepeatedVoteAnsweredWithTheFirstRecord() {
    op(cast("n1", A, "r1"), new Counted(), 0, 10);
    op(cast("n1", R, "r2"), new Duplicate("r1"), 20, 30);
    op(new Read(), observed(Map.of("n1", new Vote(A, "r1")), null), 40, 50);

    assertAccepted();
  }

  @Test
  void acceptsVotesOverlappingTheDecideBeingCountedOrRefused() {
    op(cast("n1", A, "r1"), new Counted(), 0, 10);
    op(new Decide("approved#1"), new Stands("approved#1"), 20, 40);
    op(cast("n2", A, "r2"), new Counted(), 25, 45);
    op(cast("n3", A, "r3"), new Late(), 30, 50);
    op(cast("n4", A, "r4"), new Late(), 60, 70);

    assertAccepted();
  }

  @Test
  void acceptsARacingDeciderBeingToldTheDecisionThatStands() {
    op(new Decide("approved#1"), new Stands("approved#1"), 0, 10);
    op(new Decide("rejected#2"), new Stands("approved#1"), 5, 15);

    assertAccepted();
  }

  @Test
  void acceptsAnIndeterminateDecideThatWonAndClosedTheVote() {
    op(cast("n1", A, "r1"), new Counted(), 0, 10);
    op(new Decide("approved#1"), new Indeterminate("leader lost"), 20, NEVER);
    op(cast("n2", A, "r2"), new Late(), 30, 40);
    op(new Decide("approved#2"), new Stands("approved#1"), 50, 60);
    op(new Read(), observed(Map.of("n1", new Vote(A, "r1")), "approved#1"), 70, 80);

    assertAccepted();
  }

  @Test
  void ignoresAFailedReadButNotAFailedVote() {
    op(new Read(), new Indeterminate("timeout"), 0, NEVER);
    op(cast("n1", A, "r1"), new Indeterminate("timeout"), 5, NEVER);
    op(new Read(), observed(Map.of("n1", new Vote(A, "r1")), null), 30, 40);

    LinearizabilityChecker.Verdict verdict = LinearizabilityChecker.check(TX, ops);
    assertThat(verdict.linearizable()).isTrue();
    assertThat(verdict.operations()).isEqualTo(2);
    assertThat(verdict.indeterminate()).isEqualTo(1);
  }

  @Test
  void checksEachTransactionOfAMixedHistoryOnItsOwn() {
    UUID other = UUID.fromString("00000000-0000-0000-0000-000000000008");
    op(cast("n1", A, "r1"), new Counted(), 0, 10);
    ops.add(new Op(ops.size() + 1, other, 0, cast("n1", A, "x1"), new Counted(), 0, 10));
    ops.add(new Op(ops.size() + 1, other, 0, cast("n1", A, "x2"), new Counted(), 20, 30));

    List<LinearizabilityChecker.Verdict> verdicts = LinearizabilityChecker.checkAll(ops);

    assertThat(verdicts)
        .extracting(
            LinearizabilityChecker.Verdict::tx, LinearizabilityChecker.Verdict::linearizable)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(TX, true),
            org.assertj.core.groups.Tuple.tuple(other, false));
  }

  // ---- final-state invariants ----

  @Test
  void finalStateWithEveryAckedVoteStoredBeforeTheDecisionHoldsEveryInvariant() {
    op(cast("n1", A, "r1"), new Counted(), 0, 10);
    op(cast("n2", R, "r2"), new Counted(), 0, 10);
    op(new Decide("approved#1"), new Stands("approved#1"), 20, 30);
    op(cast("n3", A, "r3"), new Late(), 40, 50);
    StoredTx stored =
        stored(
            List.of(new StoredVote("n1", A, "r1", 5), new StoredVote("n2", R, "r2", 6)),
            new StoredDecision("approved#1", 7, 1));

    assertThat(FinalStateInvariants.violations(stored, ops)).isEmpty();
  }

  @Test
  void finalStateWithAMissingAckedVoteAWrongDuplicateAndAVoteAfterTheDecisionIsReported() {
    op(cast("n1", A, "r1"), new Counted(), 0, 10);
    op(cast("n2", A, "r2"), new Counted(), 0, 10);
    op(cast("n3", A, "r3"), new Counted(), 0, 10);
    op(cast("n1", R, "r4"), new Duplicate("r9"), 0, 10);
    op(new Decide("approved#1"), new Stands("approved#1"), 20, 30);
    op(new Decide("rejected#2"), new Stands("rejected#2"), 20, 30);
    StoredTx stored =
        stored(
            List.of(new StoredVote("n1", A, "r1", 5), new StoredVote("n2", A, "r2", 9)),
            new StoredDecision("approved#1", 7, 2));

    assertThat(FinalStateInvariants.violations(stored, ops))
        .anySatisfy(v -> assertThat(v).contains("r3 of n3 is stored 0 times"))
        .anySatisfy(v -> assertThat(v).contains("named record r9"))
        .anySatisfy(v -> assertThat(v).contains("after the decision"))
        .anySatisfy(v -> assertThat(v).contains("more than one decide won"))
        .anySatisfy(v -> assertThat(v).contains("written 2 times"));
  }

  @Test
  void finalStateWithALateVoteButNoDecisionIsReported() {
    op(cast("n1", A, "r1"), new Counted(), 0, 10);
    op(cast("n2", A, "r2"), new Late(), 0, 10);
    StoredTx stored = stored(List.of(new StoredVote("n1", A, "r1", 5)), null);

    assertThat(FinalStateInvariants.violations(stored, ops))
        .anySatisfy(v -> assertThat(v).contains("refused as late but no decision exists"));
  }

  // ---- helpers ----

  private void op(Call call, Outcome outcome, long invoked, long completed) {
    ops.add(new Op(ops.size() + 1, TX, ops.size() % 3, call, outcome, invoked, completed));
  }

  private static Cast cast(String node, String digest, String record) {
    return new Cast(node, digest, record);
  }

  private static Observed observed(Map<String, Vote> votes, String decision) {
    return new Observed(new State(votes, Optional.ofNullable(decision)));
  }

  private static StoredTx stored(List<StoredVote> votes, StoredDecision decision) {
    return new StoredTx(TX, votes, Optional.ofNullable(decision), List.of());
  }

  private void assertRejected() {
    LinearizabilityChecker.Verdict verdict = LinearizabilityChecker.check(TX, ops);
    assertThat(verdict.linearizable()).as(verdict.explanation()).isFalse();
    assertThat(verdict.explanation()).contains("is not linearizable");
  }

  private void assertAccepted() {
    LinearizabilityChecker.Verdict verdict = LinearizabilityChecker.check(TX, ops);
    assertThat(verdict.linearizable()).as(verdict.explanation()).isTrue();
  }
}
