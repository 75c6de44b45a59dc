package io.mpcw.orchestrator.wallet;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Wallet rows. */
@Repository
public class Wallets {
  private static final String COLUMNS = "id, name, threshold, network, address";
  private final JdbcClient jdbc;

  public Wallets(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Wallet> find(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM wallets WHERE id = ?")
        .param(id)
        .query(Wallets::map)
        .optional();
  }

  public Optional<Wallet> findDefault() {
    return jdbc.sql("SELECT " + COLUMNS + " FROM wallets WHERE is_default")
        .query(Wallets::map)
        .optional();
  }

  /** Creates the default wallet unless one exists; safe when replicas start together. */
  Wallet ensureDefault(String name, int threshold, String network) {
    jdbc.sql(
            "INSERT INTO wallets (id, name, threshold, network, is_default)"
                + " VALUES (?, ?, ?, ?, true) ON CONFLICT DO NOTHING")
        .params(UUID.randomUUID(), name, threshold, network)
        .update();
    return findDefault().orElseThrow();
  }

  private static Wallet map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Wallet(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getInt("threshold"),
        rs.getString("network"),
        Optional.ofNullable(rs.getString("address")));
  }
}
