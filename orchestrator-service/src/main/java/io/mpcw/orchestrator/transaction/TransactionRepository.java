package io.mpcw.orchestrator.transaction;

import io.mpcw.types.transaction.TransactionState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for transactions and their history. State changes go through {@link StateTransitions}. */
@Repository
public class TransactionRepository {
  /** The reason of every payment's first history row. */
  public static final String CREATION_REASON = "submitted";

  private static final List<String> COLUMN_NAMES =
      List.of(
          "id",
          "wallet_id",
          "recipient",
          "amount_sats",
          "fee_rate_sat_vb",
          "metadata",
          "state",
          "state_reason",
          "version",
          "created_at",
          "updated_at",
          "state_entered_at",
          "stage_attempts",
          "imported");
  static final String COLUMNS = qualifiedColumns("");

  private final JdbcClient jdbc;

  /** The columns {@link #map} reads, qualified with a table alias (for UPDATE ... RETURNING). */
  public static String qualifiedColumns(String alias) {
    String prefix = alias.isEmpty() ? "" : alias + ".";
    return COLUMN_NAMES.stream()
        .map(
            c ->
                switch (c) {
                  case "metadata" -> prefix + "metadata::text AS metadata";
                  // a flag, not the PSBT: every claim and move returns these columns
                  case "imported" -> "(" + prefix + "psbt IS NOT NULL) AS imported";
                  default -> prefix + c;
                })
        .collect(java.util.stream.Collectors.joining(", "));
  }

  public TransactionRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A payment as the API accepted it, before it is stored. */
  public record NewPayment(
      UUID id,
      UUID walletId,
      String recipient,
      long amountSats,
      java.math.BigDecimal feeRate,
      Optional<String> metadataJson,
      String actor) {
    /**
     * The payment as it is about to be stored, for the pending stage to say what it would do on
     * entry; its times are this process's clock (the stored row's come from the database).
     */
    public TransactionRecord entering(boolean imported) {
      java.time.Instant now = java.time.Instant.now();
      return new TransactionRecord(
          id,
          walletId,
          recipient,
          amountSats,
          feeRate,
          metadataJson,
          TransactionState.PENDING,
          Optional.empty(),
          0,
          now,
          now,
          now,
          0,
          imported);
    }
  }

  /**
   * Stores a new pending payment; times come from the database clock, shared by replicas. With a
   * {@code claim}, the row is stored as the pending stage's claim (what a claim statement would
   * write), for the stage to start in process once this commits.
   */
  public TransactionRecord insertPending(
      NewPayment payment, Optional<StateTransitions.NextClaim> claim) {
    // the first history row is written by the same statement
    return insert(payment, claim, "", "VALUES (" + newRow(claim) + ")")
        .query(TransactionRepository::map)
        .single();
  }

  /**
   * Stores a new pending payment under its {@code Idempotency-Key} in one statement: the key, the
   * payment and its first history row (and the claim, as {@link #insertPending}). Empty when the
   * key is taken: a concurrent request with the same key makes this statement wait for that
   * request's end, so an empty answer means a committed payment the caller can replay.
   */
  public Optional<TransactionRecord> insertPendingUnderKey(
      NewPayment payment,
      Optional<StateTransitions.NextClaim> claim,
      String idempotencyKey,
      byte[] requestSha256) {
    // the foreign key from the key to the payment is checked at the end of the statement, when
    // both rows exist
    return insert(
            payment,
            claim,
            "keyed AS (INSERT INTO idempotency_keys (idempotency_key, request_sha256, tx_id,"
                + " created_at) VALUES (:key, :sha, :id, now())"
                + " ON CONFLICT (idempotency_key) DO NOTHING RETURNING tx_id), ",
            "SELECT " + newRow(claim) + " FROM keyed")
        .param("key", idempotencyKey)
        .param("sha", requestSha256)
        .query(TransactionRepository::map)
        .optional();
  }

  private static String newRow(Optional<StateTransitions.NextClaim> claim) {
    return ":id, :wallet, :recipient, :amount, :fee, CAST(:metadata AS jsonb), :pending, 0, now(),"
        + " now(), now(), now(), "
        + (claim.isPresent()
            ? ":leaseOwner, now() + make_interval(secs => :leaseSeconds), 1, now()"
            : "NULL, NULL, 0, NULL");
  }

  private JdbcClient.StatementSpec insert(
      NewPayment payment, Optional<StateTransitions.NextClaim> claim, String before, String rows) {
    JdbcClient.StatementSpec statement =
        jdbc.sql(
                "WITH "
                    + before
                    + "created AS (INSERT INTO transactions (id, wallet_id, recipient,"
                    + " amount_sats, fee_rate_sat_vb, metadata, state, version, created_at,"
                    + " updated_at, state_entered_at, next_attempt_at, lease_owner,"
                    + " lease_expires_at, stage_attempts, stage_started_at) "
                    + rows
                    + " RETURNING "
                    + COLUMNS
                    + "), logged AS (INSERT INTO transaction_history (tx_id, from_state, to_state,"
                    + " at, reason, actor) SELECT id, NULL, state, created_at, :reason, :actor"
                    + " FROM created) SELECT * FROM created")
            .param("id", payment.id())
            .param("wallet", payment.walletId())
            .param("recipient", payment.recipient())
            .param("amount", payment.amountSats())
            .param("fee", payment.feeRate())
            .param("metadata", payment.metadataJson().orElse(null))
            .param("pending", TransactionState.PENDING.wireName())
            .param("actor", payment.actor())
            .param("reason", CREATION_REASON);
    if (claim.isPresent()) {
      statement =
          statement
              .param("leaseOwner", claim.get().token())
              .param("leaseSeconds", claim.get().lease().toMillis() / 1000.0);
    }
    return statement;
  }

  public Optional<TransactionRecord> find(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM transactions WHERE id = ?")
        .param(id)
        .query(TransactionRepository::map)
        .optional();
  }

  /** Newest first, strictly after the cursor position when one is given. */
  public List<TransactionRecord> list(
      Optional<TransactionState> state, Optional<PageCursor> after, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM transactions WHERE true");
    var params = new java.util.LinkedHashMap<String, Object>();
    state.ifPresent(
        s -> {
          sql.append(" AND state = :state");
          params.put("state", s.wireName());
        });
    after.ifPresent(
        c -> {
          sql.append(" AND (created_at, id) < (:at, :id)");
          params.put("at", Timestamp.from(c.createdAt()));
          params.put("id", c.id());
        });
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
    params.put("limit", limit);
    return jdbc.sql(sql.toString()).params(params).query(TransactionRepository::map).list();
  }

  public List<HistoryEntry> history(UUID id) {
    return jdbc.sql(
            "SELECT from_state, to_state, at, reason, actor FROM transaction_history"
                + " WHERE tx_id = ? ORDER BY id")
        .param(id)
        .query(
            (rs, n) ->
                new HistoryEntry(
                    Optional.ofNullable(rs.getString("from_state"))
                        .flatMap(TransactionState::fromWireName),
                    state(rs.getString("to_state")),
                    rs.getTimestamp("at").toInstant(),
                    Optional.ofNullable(rs.getString("reason")),
                    rs.getString("actor")))
        .list();
  }

  public static TransactionRecord map(ResultSet rs, int row) throws SQLException {
    return new TransactionRecord(
        rs.getObject("id", UUID.class),
        rs.getObject("wallet_id", UUID.class),
        rs.getString("recipient"),
        rs.getLong("amount_sats"),
        rs.getBigDecimal("fee_rate_sat_vb").stripTrailingZeros(),
        Optional.ofNullable(rs.getString("metadata")),
        state(rs.getString("state")),
        Optional.ofNullable(rs.getString("state_reason")),
        rs.getLong("version"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "state_entered_at"),
        rs.getInt("stage_attempts"),
        rs.getBoolean("imported"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getTimestamp(column).toInstant();
  }

  private static TransactionState state(String name) {
    return TransactionState.fromWireName(name)
        .orElseThrow(() -> new IllegalStateException("unknown state in database: " + name));
  }
}
