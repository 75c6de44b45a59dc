package io.mpcw.orchestrator.payment;

import io.mpcw.crypto.psbt.Psbt;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The PSBTs payments were submitted as: the build stage spends exactly what they say. */
@Component
public class ImportedTransactions {
  private final JdbcClient jdbc;

  ImportedTransactions(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public void store(UUID txId, byte[] psbt) {
    jdbc.sql("UPDATE transactions SET psbt = ? WHERE id = ?").params(psbt, txId).update();
  }

  public Optional<Psbt> find(UUID txId) {
    return jdbc.sql("SELECT psbt FROM transactions WHERE id = ? AND psbt IS NOT NULL")
        .param(txId)
        .query((rs, n) -> Psbt.parse(rs.getBytes(1)))
        .optional();
  }
}
