package io.mpcw.votes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Uses a stand-in verifier: a signature is valid when it is the node's own tag over the payload.
 */
class VoteTallyTest {
  private static final UUID TX = UUID.randomUUID();
  private static final VotePayload PAYMENT =
      new VotePayload(TX, UUID.randomUUID(), "bcrt1qx", 10_000);
  private static final VotingRules RULES =
      new VotingRules(4, 5, Set.of("node-1", "node-2", "node-3", "node-4", "node-5"));
  private static final VoteSignatureVerifier VERIFIER =
      (node, payload, signature) -> {
        if (!RULES.eligible().contains(node)) {
          return VoteSignatureVerifier.Result.UNKNOWN_NODE;
        }
        return Arrays.equals(signature, sign(node, payload))
            ? VoteSignatureVerifier.Result.VALID
            : VoteSignatureVerifier.Result.INVALID;
      };

  private final List<VoteRecord> records = new ArrayList<>();
  private final Map<String, VoteRecord> responses = new HashMap<>();

  private static byte[] sign(String node, byte[] payload) {
    byte[] tag = node.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[tag.length + 4];
    System.arraycopy(tag, 0, out, 0, tag.length);
    int h = Arrays.hashCode(payload);
    out[tag.length] = (byte) (h >> 24);
    out[tag.length + 1] = (byte) (h >> 16);
    out[tag.length + 2] = (byte) (h >> 8);
    out[tag.length + 3] = (byte) h;
    return out;
  }

  private static VoteRecord vote(String node, Decision decision, String digest) {
    VoteRecord unsigned =
        VoteRecord.unsigned(
            TX,
            node,
            decision,
            decision == Decision.REJECT ? "over limit" : "",
            digest,
            Instant.EPOCH);
    return unsigned.withSignature(sign(node, unsigned.signingPayload()));
  }

  private VoteTallyTest honest(Decision decision, String... nodes) {
    for (String node : nodes) {
      VoteRecord v = vote(node, decision, PAYMENT.digest(decision));
      records.add(v);
      responses.put(node, v);
    }
    return this;
  }

  private Tally tally() {
    VoteSnapshot snapshot = new VoteSnapshot(records, List.of(), Optional.empty(), 1);
    return VoteTally.tally(RULES, PAYMENT, snapshot, responses, List.of(), VERIFIER);
  }

  @Test
  void fourOfFiveApprovalsApprove() {
    honest(Decision.APPROVE, "node-1", "node-2", "node-3", "node-4");
    Tally tally = tally();
    assertThat(tally.outcome()).isEqualTo(Tally.Outcome.APPROVED);
    assertThat(tally.approvals()).hasSize(4);
    assertThat(tally.evidence()).isEmpty();
  }

  @Test
  void twoOfFiveRejectionsReject() {
    honest(Decision.APPROVE, "node-1", "node-2").honest(Decision.REJECT, "node-3", "node-4");
    Tally tally = tally();
    assertThat(tally.outcome()).isEqualTo(Tally.Outcome.REJECTED);
    assertThat(tally.rejections()).containsEntry("node-3", "over limit");
  }

  @Test
  void threeApprovalsAndOneSilentNodeIsUndecided() {
    honest(Decision.APPROVE, "node-1", "node-2", "node-3").honest(Decision.REJECT, "node-4");
    assertThat(tally().outcome()).isEqualTo(Tally.Outcome.UNDECIDED);
  }

  @Test
  void aBadSignatureIsEvidenceAndIsNotCounted() {
    honest(Decision.APPROVE, "node-1", "node-2", "node-3", "node-4");
    records.add(
        vote("node-5", Decision.APPROVE, PAYMENT.digest(Decision.APPROVE))
            .withSignature(new byte[] {0}));
    Tally tally = tally();
    assertThat(tally.outcome()).isEqualTo(Tally.Outcome.APPROVED);
    assertThat(tally.approvals()).doesNotContain("node-5");
    assertThat(tally.evidence().get("node-5"))
        .extracting(Evidence::kind)
        .containsExactly(Evidence.Kind.BAD_SIGNATURE);
  }

  @Test
  void aVoteForAnotherDigestIsEvidence() {
    honest(Decision.APPROVE, "node-1", "node-2", "node-3", "node-4");
    records.add(
        vote(
            "node-5",
            Decision.APPROVE,
            new VotePayload(TX, UUID.randomUUID(), "bcrt1qy", 1).digest(Decision.APPROVE)));
    Tally tally = tally();
    assertThat(tally.outcome()).isEqualTo(Tally.Outcome.APPROVED);
    assertThat(tally.evidence().get("node-5"))
        .extracting(Evidence::kind)
        .containsExactly(Evidence.Kind.DIGEST_MISMATCH);
  }

  @Test
  void answeringDifferentlyFromTheSignedRecordIsEquivocation() {
    honest(Decision.APPROVE, "node-1", "node-2", "node-3", "node-4");
    records.add(vote("node-5", Decision.REJECT, PAYMENT.digest(Decision.REJECT)));
    responses.put("node-5", vote("node-5", Decision.APPROVE, PAYMENT.digest(Decision.APPROVE)));
    Tally tally = tally();
    assertThat(tally.outcome()).isEqualTo(Tally.Outcome.APPROVED);
    assertThat(tally.evidence().get("node-5"))
        .extracting(Evidence::kind)
        .containsExactly(Evidence.Kind.EQUIVOCATION);
    assertThat(tally.rejections()).isEmpty();
  }

  @Test
  void evidenceAgainstMoreThanFNodesAborts() {
    honest(Decision.APPROVE, "node-1", "node-2", "node-3");
    records.add(
        vote("node-4", Decision.APPROVE, PAYMENT.digest(Decision.APPROVE))
            .withSignature(new byte[] {0}));
    records.add(vote("node-5", Decision.APPROVE, "00".repeat(32)));
    Tally tally = tally();
    assertThat(tally.outcome()).isEqualTo(Tally.Outcome.ABORTED_BYZANTINE);
    assertThat(tally.evidence()).containsOnlyKeys("node-4", "node-5");
  }

  @Test
  void aRecordFromAnUnknownNodeIsEvidence() {
    honest(Decision.APPROVE, "node-1", "node-2", "node-3", "node-4");
    records.add(vote("node-9", Decision.APPROVE, PAYMENT.digest(Decision.APPROVE)));
    Tally tally = tally();
    assertThat(tally.outcome()).isEqualTo(Tally.Outcome.APPROVED);
    assertThat(tally.evidence().get("node-9"))
        .extracting(Evidence::kind)
        .containsExactly(Evidence.Kind.UNKNOWN_NODE);
  }

  @Test
  void oneFaultyNodeAndOneRejectionMakeApprovalImpossible() {
    honest(Decision.APPROVE, "node-1", "node-2", "node-3").honest(Decision.REJECT, "node-4");
    records.add(
        vote("node-5", Decision.APPROVE, PAYMENT.digest(Decision.APPROVE))
            .withSignature(new byte[] {0}));
    assertThat(tally().outcome()).isEqualTo(Tally.Outcome.REJECTED);
  }

  @Test
  void malformedRecordsAreEvidence() {
    honest(Decision.APPROVE, "node-1", "node-2", "node-3", "node-4");
    VoteSnapshot snapshot = new VoteSnapshot(records, List.of("node-5"), Optional.empty(), 1);
    Tally tally =
        VoteTally.tally(RULES, PAYMENT, snapshot, responses, snapshot.malformed(), VERIFIER);
    assertThat(tally.evidence().get("node-5"))
        .extracting(Evidence::kind)
        .containsExactly(Evidence.Kind.MALFORMED_RECORD);
  }
}
