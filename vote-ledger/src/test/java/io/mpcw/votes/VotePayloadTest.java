package io.mpcw.votes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VotePayloadTest {
  private static final UUID TX = UUID.fromString("00000000-0000-4000-8000-000000000001");
  private static final UUID WALLET = UUID.fromString("00000000-0000-4000-8000-000000000002");

  @Test
  void digestIsStableSoNodesOfDifferentVersionsAgree() {
    // pinned: changing the canonical encoding splits votes across versions
    assertThat(new VotePayload(TX, WALLET, "bcrt1qexample", 10_000).digest(Decision.APPROVE))
        .isEqualTo("158193dcadfcc16defdce2a14a6e8d33a97b515976e053449367c52f49f67931");
  }

  @Test
  void everyFieldAndTheDecisionChangeTheDigest() {
    VotePayload base = new VotePayload(TX, WALLET, "bcrt1qexample", 10_000);
    Set<String> digests = new HashSet<>();
    digests.add(base.digest(Decision.APPROVE));
    digests.add(base.digest(Decision.REJECT));
    digests.add(
        new VotePayload(UUID.randomUUID(), WALLET, "bcrt1qexample", 10_000)
            .digest(Decision.APPROVE));
    digests.add(
        new VotePayload(TX, UUID.randomUUID(), "bcrt1qexample", 10_000).digest(Decision.APPROVE));
    digests.add(new VotePayload(TX, WALLET, "bcrt1qexamplf", 10_000).digest(Decision.APPROVE));
    digests.add(new VotePayload(TX, WALLET, "bcrt1qexample", 10_001).digest(Decision.APPROVE));
    assertThat(digests).hasSize(6);
  }

  @Test
  void lengthPrefixingKeepsFieldBoundariesApart() {
    // "ab" + amount vs "a" + ... must not collide through concatenation
    assertThat(new VotePayload(TX, WALLET, "ab", 1).digest(Decision.APPROVE))
        .isNotEqualTo(new VotePayload(TX, WALLET, "a", 1).digest(Decision.APPROVE));
  }
}
