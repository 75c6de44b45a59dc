package io.mpcw.orchestrator.lifecycle;

import io.mpcw.orchestrator.lifecycle.KeyOperation.State;
import io.mpcw.orchestrator.transaction.StateLiterals;
import io.mpcw.protocol.lifecycle.LifecycleVote;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lifecycle operation rows and their append-only history. Every state change is conditional on the
 * state and the lease it was claimed with, and writes its history row in the same database
 * transaction; a runner whose lease ran out changes nothing. How a row reads is {@link
 * KeyOperationRows}'.
 */
@Repository
public class KeyOperations {
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  KeyOperations(JdbcClient jdbc, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.tx = tx;
  }

  /**
   * A new operation in {@code voting}, with its first history row.
   *
   * @throws org.springframework.dao.DuplicateKeyException when one is already running for the
   *     wallet
   */
  public KeyOperation create(UUID walletId, String kind, long fromEpoch, String subject) {
    UUID id = UUID.randomUUID();
    tx.executeWithoutResult(
        status -> {
          jdbc.sql(
                  "INSERT INTO key_operations (id, wallet_id, kind, state, from_epoch, subject)"
                      + " VALUES (?, ?, ?, ?, ?, ?)")
              .params(id, walletId, kind, State.VOTING.wireName(), fromEpoch, subject)
              .update();
          history(id, null, State.VOTING, "requested through the API");
        });
    return find(id).orElseThrow();
  }

  /**
   * A new reshare in {@code voting}: its subject is the signed text of the new threshold and set;
   * the wallet's current participants are kept as the set it comes from.
   *
   * @throws org.springframework.dao.DuplicateKeyException when an operation is already running for
   *     the wallet
   */
  public KeyOperation createReshare(
      UUID walletId, long fromEpoch, String subject, KeyOperation.NewSet target) {
    UUID id = UUID.randomUUID();
    tx.executeWithoutResult(
        status -> {
          jdbc.sql(
                  "INSERT INTO key_operations (id, wallet_id, kind, state, from_epoch, subject,"
                      + " new_threshold, new_participants, old_participants)"
                      + " VALUES (?, ?, 'reshare', ?, ?, ?, ?, ?, ?)")
              .params(
                  id,
                  walletId,
                  State.VOTING.wireName(),
                  fromEpoch,
                  subject,
                  target.threshold(),
                  target.participants().toArray(String[]::new),
                  target.previous().toArray(String[]::new))
              .update();
          history(id, null, State.VOTING, "requested through the API");
        });
    return find(id).orElseThrow();
  }

  public Optional<KeyOperation> find(UUID id) {
    return jdbc.sql("SELECT " + KeyOperationRows.COLUMNS + " FROM key_operations WHERE id = ?")
        .param(id)
        .query(KeyOperationRows::map)
        .optional();
  }

  /** The wallet's latest operations, newest first. */
  public List<KeyOperation> recent(UUID walletId, int limit) {
    return jdbc.sql(
            "SELECT "
                + KeyOperationRows.COLUMNS
                + " FROM key_operations WHERE wallet_id = ? ORDER BY created_at DESC, id LIMIT ?")
        .params(walletId, limit)
        .query(KeyOperationRows::map)
        .list();
  }

  public List<KeyOperation.Change> history(UUID id) {
    return jdbc.sql(
            "SELECT from_state, to_state, at, reason FROM key_operation_history"
                + " WHERE operation_id = ? ORDER BY id")
        .param(id)
        .query(
            (rs, row) ->
                new KeyOperation.Change(
                    Optional.ofNullable(rs.getString("from_state")),
                    rs.getString("to_state"),
                    rs.getTimestamp("at").toInstant(),
                    Optional.ofNullable(rs.getString("reason"))))
        .list();
  }

  /**
   * The running states are written into the claim, not bound: only a plan that knows them may use
   * the partial index {@code key_operations_due}, so with them bound PostgreSQL planned this poll
   * again at every call (several times a second, whether or not an operation runs).
   */
  static final String CLAIM_DUE =
      "UPDATE key_operations SET lease_owner = ?, lease_until = now() + ?::interval"
          + " WHERE id = (SELECT id FROM key_operations WHERE state IN ("
          + StateLiterals.list(State.runningWireNames())
          + ") AND next_at <= now() AND (lease_until IS NULL OR lease_until < now())"
          + " ORDER BY next_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING "
          + KeyOperationRows.COLUMNS;

  /**
   * Claims one running operation that is due and not leased by a live runner (a dead runner's lease
   * expires and the operation is taken over).
   */
  public Optional<KeyOperation> claimDue(UUID owner, Duration lease) {
    return jdbc.sql(CLAIM_DUE)
        .params(owner, lease.toMillis() + " milliseconds")
        .query(KeyOperationRows::map)
        .optional();
  }

  /** Keeps the votes gathered so far; the operation stays leased. */
  public boolean recordVotes(UUID id, UUID owner, Map<String, LifecycleVote> votes) {
    return jdbc.sql(
                "UPDATE key_operations SET votes = ?::jsonb, updated_at = now()"
                    + " WHERE id = ? AND lease_owner = ? AND state = ?")
            .params(KeyOperationRows.votesJson(votes), id, owner, State.VOTING.wireName())
            .update()
        == 1;
  }

  /**
   * A state change with its history row; false when the claim was lost.
   *
   * @throws KeyOperation.IllegalMove when {@link State}'s table does not allow it (nothing changes)
   */
  public boolean transition(UUID id, UUID owner, State from, State to, String reason) {
    from.checkMoveTo(to);
    Boolean done =
        tx.execute(
            status -> {
              if (!move(id, owner, from, to, reason)) {
                return false;
              }
              history(id, from, to, reason);
              return true;
            });
    return Boolean.TRUE.equals(done);
  }

  /**
   * {@code dealing → committing}, and in the same database transaction the wallet moves to the new
   * epoch with its new public key package (a reshare: with its new participants and threshold):
   * from now on payments sign in the new epoch (every participant has staged its share of it, so it
   * commits whatever happens next). The attempts count again from 0 (a reshare's commit counts its
   * rounds with a node that leaves and does not answer).
   */
  public boolean toCommitting(
      KeyOperation op, UUID owner, byte[] publicKeyPackage, Map<String, String> acks) {
    State from = State.DEALING;
    State to = from.checkMoveTo(State.COMMITTING);
    Boolean done =
        tx.execute(
            status -> {
              int moved =
                  jdbc.sql(
                          "UPDATE key_operations SET state = ?, public_key_package = ?,"
                              + " acks = ?::jsonb, reason = NULL, attempts = 0, lease_owner = NULL,"
                              + " lease_until = NULL, next_at = now(), updated_at = now()"
                              + " WHERE id = ? AND lease_owner = ? AND state = ?")
                      .params(
                          to.wireName(),
                          publicKeyPackage,
                          KeyOperationRows.acksJson(acks),
                          op.id(),
                          owner,
                          from.wireName())
                      .update();
              if (moved != 1) {
                return false;
              }
              // a reshare moves the participants and the threshold with the epoch, atomically
              int wallet =
                  op.target().isPresent()
                      ? jdbc.sql(
                              "UPDATE wallets SET key_epoch = ?, public_key_package = ?,"
                                  + " participants = ?, threshold = ? WHERE id = ? AND key_epoch = ?")
                          .params(
                              op.fromEpoch() + 1,
                              publicKeyPackage,
                              op.target().get().participants().toArray(String[]::new),
                              op.target().get().threshold(),
                              op.walletId(),
                              op.fromEpoch())
                          .update()
                      : jdbc.sql(
                              "UPDATE wallets SET key_epoch = ?, public_key_package = ?"
                                  + " WHERE id = ? AND key_epoch = ?")
                          .params(
                              op.fromEpoch() + 1, publicKeyPackage, op.walletId(), op.fromEpoch())
                          .update();
              if (wallet != 1) {
                status.setRollbackOnly();
                return false;
              }
              history(
                  op.id(),
                  from,
                  to,
                  "every participant staged its share of epoch " + (op.fromEpoch() + 1));
              return true;
            });
    return Boolean.TRUE.equals(done);
  }

  /**
   * Whether {@code owner} still holds the operation's lease for at least {@code margin} (database
   * clock): a runner sends a step that changes nodes' shares only then, so a runner that stalled
   * past its lease does not act beside the one that took over.
   */
  public boolean holds(UUID id, UUID owner, Duration margin) {
    return jdbc.sql(
                "SELECT count(*) FROM key_operations WHERE id = ? AND lease_owner = ?"
                    + " AND lease_until > now() + ?::interval")
            .params(id, owner, margin.toMillis() + " milliseconds")
            .query(Long.class)
            .single()
        == 1;
  }

  /**
   * Runs {@code action} while holding the operation's row locked, only if {@code owner} still has
   * it in {@code state}: no other runner can claim it or move it on meanwhile (its claim skips a
   * locked row, its state change waits). Used to discard staged shares, which must never happen
   * once another runner may have taken the operation to {@code committing}.
   */
  public boolean whileHeld(UUID id, UUID owner, State state, Runnable action) {
    Boolean done =
        tx.execute(
            status -> {
              boolean held =
                  jdbc.sql(
                          "SELECT id FROM key_operations WHERE id = ? AND lease_owner = ?"
                              + " AND state = ? FOR UPDATE")
                      .params(id, owner, state.wireName())
                      .query(UUID.class)
                      .optional()
                      .isPresent();
              if (held) {
                action.run();
              }
              return held;
            });
    return Boolean.TRUE.equals(done);
  }

  /** Leaves the state as it is, due again after {@code delay}; releases the lease. */
  public void retryLater(UUID id, UUID owner, Duration delay, String reason, boolean attempt) {
    jdbc.sql(
            "UPDATE key_operations SET reason = ?, attempts = attempts + ?, lease_owner = NULL,"
                + " lease_until = NULL, next_at = now() + ?::interval, updated_at = now()"
                + " WHERE id = ? AND lease_owner = ?")
        .params(reason, attempt ? 1 : 0, delay.toMillis() + " milliseconds", id, owner)
        .update();
  }

  private boolean move(UUID id, UUID owner, State from, State to, String reason) {
    return jdbc.sql(
                "UPDATE key_operations SET state = ?, reason = ?, lease_owner = NULL,"
                    + " lease_until = NULL, next_at = now(), updated_at = now()"
                    + " WHERE id = ? AND lease_owner = ? AND state = ?")
            .params(to.wireName(), reason, id, owner, from.wireName())
            .update()
        == 1;
  }

  private void history(UUID id, State from, State to, String reason) {
    jdbc.sql(
            "INSERT INTO key_operation_history (operation_id, from_state, to_state, reason)"
                + " VALUES (?, ?, ?, ?)")
        .params(id, from == null ? null : from.wireName(), to.wireName(), reason)
        .update();
  }
}
