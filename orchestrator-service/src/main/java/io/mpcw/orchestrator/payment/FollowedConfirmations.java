package io.mpcw.orchestrator.payment;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.orchestrator.chain.ChainProperties;
import io.mpcw.orchestrator.transaction.RowChange;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.types.transaction.TransactionState;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Confirms, by the block, the broadcast payments whose transaction the followed chain holds deep
 * enough: one statement for all of them, where the confirmation stage would claim each payment,
 * read it, ask the chain about it and move it in a database transaction of its own. What the
 * follower recorded is what the stage would learn: the block it records extends the one before
 * (else it rescans and forgets every inclusion), so a payment recorded in a block at {@code h} has
 * {@code tip − h + 1} confirmations. A payment a stage holds is left to it; one the follower never
 * saw in a block (broadcast while it was rescanning, or sent again after a reorganisation) is the
 * stage's as before. A reorganisation after the confirmation is the reorg watch's, as for any
 * confirmed payment.
 */
@Component
public class FollowedConfirmations {
  /** Payments per statement, so a long backlog is confirmed in bounded steps. */
  static final int BATCH = 500;

  /** The followed tip's height, read by the statement itself (never a tip read before it). */
  private static final String DEPTH =
      "(SELECT height FROM chain_cursor WHERE id = 1) - included_height + 1";

  private final StateTransitions transitions;
  private final TransactionTemplate database;
  private final ChainProperties properties;
  private final MeterRegistry meters;

  FollowedConfirmations(
      StateTransitions transitions,
      TransactionTemplate database,
      ChainProperties properties,
      MeterRegistry meters) {
    this.transitions = transitions;
    this.database = database;
    this.properties = properties;
    this.meters = meters;
  }

  /** Confirms every broadcast payment the followed chain holds deep enough; returns how many. */
  public int confirm() {
    int total = 0;
    while (true) {
      List<Integer> depths = database.execute(status -> batch());
      depths.forEach(d -> meters.summary("orchestration_chain_confirmations").record(d));
      total += depths.size();
      if (depths.size() < BATCH) {
        return total;
      }
    }
  }

  private List<Integer> batch() {
    RowChange row =
        new RowChange()
            .setTo("confirmations", DEPTH)
            .setTo("block_hash", "included_block")
            .setTo("confirmed_at", "now()");
    Coins.spent(row);
    return transitions.applyToAll(
        TransactionState.BROADCASTING,
        TransactionState.CONFIRMED,
        new StateTransitions.Selection(
            "included_block IS NOT NULL AND " + DEPTH + " >= :needed",
            // as the confirmation stage words it
            DEPTH + " || ' confirmation(s) in block ' || included_block",
            Map.of("needed", properties.confirmations())),
        "chain",
        row,
        BATCH,
        (rs, n) -> rs.getInt("confirmations"));
  }
}
