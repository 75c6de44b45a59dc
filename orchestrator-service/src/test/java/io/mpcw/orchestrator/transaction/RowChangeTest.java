package io.mpcw.orchestrator.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
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

  @Test
  void writesAlongsideTheMoveAreItsNamedCtesWithTheirParameters() {
    RowChange row =
        new RowChange()
            .set("txid", "ab")
            .alongside("UPDATE a SET x = :a_x WHERE id = (SELECT id FROM moved)", Map.of("a_x", 1))
            .alongside("INSERT INTO b SELECT id FROM moved", Map.of());

    assertThat(row.alongsideSql())
        .isEqualTo(
            ", alongside_0 AS (UPDATE a SET x = :a_x WHERE id = (SELECT id FROM moved)),"
                + " alongside_1 AS (INSERT INTO b SELECT id FROM moved)");
    assertThat(row.values()).containsOnlyKeys("row_txid", "a_x");
    assertThat(new RowChange().alongsideSql()).isEmpty();
  }

  @Test
  void aWriteAlongsideReadsTheMovedRowAndBindsNoNameTaken() {
    assertThatThrownBy(() -> new RowChange().alongside("DELETE FROM utxos", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reads moved");
    for (String taken : new String[] {"id", "version", "lease", "row_txid", "mine"}) {
      assertThatThrownBy(
              () ->
                  new RowChange()
                      .set("txid", "ab")
                      .alongside("INSERT INTO b SELECT :mine FROM moved", Map.of("mine", 1))
                      .alongside("INSERT INTO c SELECT :x FROM moved", Map.of(taken, 2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(":" + taken);
    }
  }
}
