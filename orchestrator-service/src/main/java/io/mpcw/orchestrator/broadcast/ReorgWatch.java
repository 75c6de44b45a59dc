package io.mpcw.orchestrator.broadcast;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.chain.ChainClient;
import io.mpcw.chain.ChainRejectedException;
import io.mpcw.chain.ChainUnavailableException;
import io.mpcw.chain.TxStatus;
import io.mpcw.orchestrator.chain.ChainProperties;
import io.mpcw.orchestrator.payment.ChainFollower;
import io.mpcw.orchestrator.payment.Payments;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.TransactionRecord;
import io.mpcw.orchestrator.transaction.TransactionRepository;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follows confirmed payments until they are settled ({@code mpcw.chain.settled-confirmations}
 * deep). One whose transaction falls below {@code mpcw.chain.confirmations} meanwhile (its block
 * was reorganised away) goes back to {@code broadcasting} with the reason in its history: the
 * confirmation stage then sends the same bytes again if the chain forgot them, and follows them to
 * a new confirmation. The move goes through {@link StateTransitions}, so with several orchestrators
 * watching only one makes it.
 */
@Component
public class ReorgWatch {
  private static final Logger log = LoggerFactory.getLogger(ReorgWatch.class);
  private static final int BATCH = 200;
  private static final Duration SAFETY_NET = Duration.ofMinutes(1);
  private final Payments payments;
  private final TransactionRepository transactions;
  private final StateTransitions transitions;
  private final TransactionTemplate database;
  private final ChainClient chain;
  private final ChainProperties properties;
  private final MeterRegistry meters;
  private final ChainFollower follower;
  private final ChainMovedGate gate = new ChainMovedGate(SAFETY_NET);

  ReorgWatch(
      Payments payments,
      TransactionRepository transactions,
      StateTransitions transitions,
      TransactionTemplate database,
      ChainClient chain,
      ChainProperties properties,
      MeterRegistry meters,
      ChainFollower follower) {
    this.payments = payments;
    this.transactions = transactions;
    this.transitions = transitions;
    this.database = database;
    this.chain = chain;
    this.properties = properties;
    this.meters = meters;
    this.follower = follower;
  }

  @Scheduled(fixedDelayString = "${mpcw.chain.poll-interval:1s}")
  void watchScheduled() {
    try {
      // between two blocks every look sees what the last one saw: one RPC per unsettled payment
      // per poll (hundreds a second under load) for nothing
      Optional<ChainFollower.Cursor> tip = follower.recordedTip();
      if (!gate.due(tip, System.nanoTime())) {
        return;
      }
      boolean complete = watch();
      gate.looked(tip, complete, System.nanoTime());
    } catch (ChainUnavailableException | ChainRejectedException e) {
      log.debug("reorg watch skipped a round: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("reorg watch failed, will retry: {}", e.toString());
    }
  }

  /**
   * One look at every confirmed payment not settled yet (the oldest {@value #BATCH}); whether that
   * was all of them.
   */
  public boolean watch() {
    List<Payments.Unsettled> unsettled = payments.unsettled(BATCH);
    for (Payments.Unsettled payment : unsettled) {
      UUID id = payment.id();
      String txid = payment.txid();
      Optional<TxStatus> status = chain.transaction(txid);
      int confirmations =
          (int) Math.min(Integer.MAX_VALUE, status.map(TxStatus::confirmations).orElse(0L));
      Optional<String> block = status.flatMap(TxStatus::blockHash);
      if (confirmations >= properties.confirmations()) {
        boolean settled = confirmations >= properties.settledConfirmations();
        // most looks come between two blocks and see what the last one saw: nothing to write
        if (settled
            || confirmations != payment.confirmations()
            || !block.equals(payment.blockHash())) {
          payments.deepened(id, confirmations, block, settled);
        }
      } else {
        reopen(id, txid, payment.blockHash(), confirmations);
      }
    }
    return unsettled.size() < BATCH;
  }

  private void reopen(UUID id, String txid, Optional<String> lostBlock, int confirmations) {
    String reason =
        "reorg: block "
            + lostBlock.orElse("?")
            + " is no longer in the chain; "
            + txid
            + " has "
            + confirmations
            + " confirmation(s), "
            + properties.confirmations()
            + " needed";
    boolean moved =
        Boolean.TRUE.equals(
            database.execute(
                status -> {
                  Optional<TransactionRecord> tx = transactions.find(id);
                  if (tx.isEmpty() || tx.get().state() != TransactionState.CONFIRMED) {
                    return false;
                  }
                  if (!transitions.apply(
                      tx.get(), TransactionState.BROADCASTING, reason, "chain", Optional.empty())) {
                    return false;
                  }
                  payments.reorganised(id, confirmations);
                  return true;
                }));
    if (moved) {
      log.warn("{} ({}) {}", id, txid, reason);
      meters.counter("orchestration_reorged_payments_total").increment();
    }
  }
}
