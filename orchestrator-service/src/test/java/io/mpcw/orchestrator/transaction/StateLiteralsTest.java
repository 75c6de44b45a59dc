package io.mpcw.orchestrator.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StateLiteralsTest {
  @Test
  void aStatesWireNameBecomesAQuotedLiteralAndSeveralAList() {
    assertThat(StateLiterals.of("pending")).isEqualTo("'pending'");
    assertThat(StateLiterals.list("voting", "aborted_byzantine"))
        .isEqualTo("'voting', 'aborted_byzantine'");
  }

  @Test
  void anythingButAPlainWordIsRefusedRatherThanWrittenIntoSql() {
    assertThatThrownBy(() -> StateLiterals.of("x' OR '1'='1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StateLiterals.list("voting", "Voting"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StateLiterals.of("")).isInstanceOf(IllegalArgumentException.class);
  }
}
