package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.transaction.StateLiterals;
import io.mpcw.orchestrator.transaction.TransactionRepository;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Claims due work with {@code FOR UPDATE SKIP LOCKED} and a lease, so several engines on one
 * database take disjoint transactions, and work whose engine died is taken over once its lease
 * expires. All times are the database's clock.
 */
@Component
public class WorkClaims {
  /**
   * The claim statement of each state, the state written into it: bound as a parameter, the state
   * kept the plan cache from using a generic plan (only a plan that knows the state may use the
   * partial index {@code transactions_due}), so PostgreSQL planned every claim again, ≈ 0.5 ms of
   * its CPU each, twice per payment (docs/benchmarks.md, eighteenth round).
   */
  private static final Map<TransactionState, String> CLAIM = claimStatements();

  private final JdbcClient jdbc;

  public WorkClaims(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Claims up to {@code limit} due transactions in {@code state}, oldest first, and stamps the
   * first claim in the state (what stage timeouts count from).
   */
  public List<ClaimedTransaction> claim(
      TransactionState state, int limit, Duration lease, String owner) {
    String token = newToken(owner);
    return jdbc.sql(CLAIM.get(state))
        .param("limit", limit)
        .param("token", token)
        .param("leaseSeconds", lease.toMillis() / 1000.0)
        .query(
            (rs, n) ->
                new ClaimedTransaction(
                    TransactionRepository.map(rs, n),
                    token,
                    rs.getTimestamp("claimed_at").toInstant(),
                    rs.getTimestamp("work_started_at").toInstant(),
                    Optional.empty(),
                    rs.getBoolean("took_over")))
        .list();
  }

  static String claimSql(TransactionState state) {
    return CLAIM.get(state);
  }

  private static Map<TransactionState, String> claimStatements() {
    Map<TransactionState, String> statements = new EnumMap<>(TransactionState.class);
    for (TransactionState state : TransactionState.values()) {
      statements.put(
          state,
          "WITH due AS (SELECT id, lease_expires_at IS NOT NULL AS took_over"
              + " FROM transactions WHERE state = "
              + StateLiterals.of(state.wireName())
              + " AND next_attempt_at <= now()"
              + " AND (lease_expires_at IS NULL OR lease_expires_at < now())"
              + " ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)"
              + " UPDATE transactions t SET lease_owner = :token,"
              + " lease_expires_at = now() + make_interval(secs => :leaseSeconds),"
              + " stage_attempts = t.stage_attempts + 1,"
              // the stage timeout counts from the first claim, not from entering the state; a
              // lease that ran out was a dead (or cut-off) engine's, and the time it was gone is
              // no work of the stage's: the count starts again with the one taking over
              + " stage_started_at = CASE WHEN t.lease_expires_at IS NOT NULL THEN now()"
              + " ELSE coalesce(t.stage_started_at, now()) END"
              + " FROM due WHERE t.id = due.id RETURNING "
              + TransactionRepository.qualifiedColumns("t")
              + ", now() AS claimed_at, t.stage_started_at AS work_started_at, due.took_over");
    }
    return statements;
  }

  /** A lease token of {@code owner}'s, unique to one claim. */
  static String newToken(String owner) {
    return owner + "#" + UUID.randomUUID();
  }

  /** Gives the claim back, to be looked at again after {@code after}; false if it was lost. */
  public boolean release(ClaimedTransaction claim, Duration after) {
    return jdbc.sql(
                "UPDATE transactions SET lease_owner = NULL, lease_expires_at = NULL,"
                    + " next_attempt_at = now() + make_interval(secs => :after)"
                    + " WHERE id = :id AND lease_owner = :token")
            .param("after", after.toMillis() / 1000.0)
            .param("id", claim.tx().id())
            .param("token", claim.leaseToken())
            .update()
        == 1;
  }

  /**
   * Extends by {@code lease} from now the leases still held under the tokens of {@code held} (lease
   * token to transaction id); returns how many. A claim whose work moved on, was released or was
   * taken over matches nothing.
   */
  public int renew(Map<String, UUID> held, Duration lease) {
    return jdbc.sql(
            "UPDATE transactions SET lease_expires_at = now() + make_interval(secs =>"
                + " :leaseSeconds) WHERE id = ANY(:ids) AND lease_owner = ANY(:tokens)")
        .param("leaseSeconds", lease.toMillis() / 1000.0)
        .param("ids", held.values().toArray(UUID[]::new))
        .param("tokens", held.keySet().toArray(String[]::new))
        .update();
  }

  /**
   * Clears leases that ran out; returns how many (each is work an engine did not finish). The stage
   * timeout of that work starts again at its next claim, as in a takeover by {@link #claim}.
   */
  public int sweepExpired() {
    return jdbc.sql(
            "UPDATE transactions SET lease_owner = NULL, lease_expires_at = NULL,"
                + " stage_started_at = NULL WHERE lease_expires_at < now()")
        .update();
  }
}
