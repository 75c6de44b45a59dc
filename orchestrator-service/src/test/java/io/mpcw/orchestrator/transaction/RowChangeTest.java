package io.mpcw.orchestrator.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RowChangeTest {

  @Test
  void valuesAreBoundAsParametersAndExpressionsWrittenAsGiven() {
    RowChange row =
        new RowChange()
            .set("raw_tx", new byte[] {1})
            .setJson("prevouts", "[]")
            .setTo("broadcast_at", "coalesce(broadcast_at, now())");

    assertThat(row.sql())
        .isEqualTo(
            ", raw_tx = :row_raw_tx, prevouts = CAST(:row_prevouts AS jsonb),"
                + " broadcast_at = coalesce(broadcast_at, now())");
    assertThat(row.values()).containsOnlyKeys("row_raw_tx", "row_prevouts");
  }

  @Test
  void aStageCannotSetWhatTheStateChangeWritesItself() {
    for (String column : new String[] {"state", "version", "lease_owner", "next_attempt_at"}) {
      assertThatThrownBy(() -> new RowChange().set(column, "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(column);
    }
  }

  @Test
  void aColumnIsSetOnceAndNamedPlainly() {
    assertThatThrownBy(() -> new RowChange().set("txid", "a").set("txid", "b"))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> new RowChange().set("txid = 'x', state", "a"))
        .hasMessageContaining("not a column name");
  }

  @Test
  void noChangeAddsNothingToTheStatement() {
    assertThat(new RowChange().sql()).isEmpty();
    assertThat(new RowChange().isEmpty()).isTrue();
  }
}
