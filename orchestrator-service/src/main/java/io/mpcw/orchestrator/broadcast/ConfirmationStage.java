package io.mpcw.orchestrator.broadcast;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.chain.ChainClient;
import io.mpcw.chain.ChainRejectedException;
import io.mpcw.chain.ChainUnavailableException;
import io.mpcw.chain.TxStatus;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.chain.ChainProperties;
import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.payment.Coins;
import io.mpcw.orchestrator.payment.Payments;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.types.transaction.TransactionState;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code broadcasting → confirmed}: follows the transaction until it has the configured number of
 * confirmations. One the chain no longer knows (dropped from the mempool, or its block reorganised
 * away without it) is sent again, the same bytes, so it can only confirm once. Most payments never
 * reach it: the chain follower confirms those its blocks hold deep enough ({@code
 * FollowedConfirmations}); this stage asks the chain about the rest.
 */
@Component
class ConfirmationStage implements StageHandler {
  private static final Logger log = LoggerFactory.getLogger(ConfirmationStage.class);
  private final Payments payments;
  private final ChainClient chain;
  private final ChainProperties properties;
  private final MeterRegistry meters;

  ConfirmationStage(
      Payments payments, ChainClient chain, ChainProperties properties, MeterRegistry meters) {
    this.payments = payments;
    this.chain = chain;
    this.properties = properties;
    this.meters = meters;
  }

  @Override
  public TransactionState stage() {
    return TransactionState.BROADCASTING;
  }

  @Override
  public StageOutcome handle(ClaimedTransaction claim) {
    BuiltPayment payment = payments.find(claim.tx().id()).orElseThrow();
    String txid = payment.txid().orElseThrow();
    Optional<TxStatus> status;
    try {
      status = chain.transaction(txid);
      if (status.isEmpty()) {
        log.info(
            "{} ({}) is no longer known to the chain: sending it again", claim.tx().id(), txid);
        meters.counter("orchestration_rebroadcasts_total").increment();
        chain.broadcast(Hex.encode(payment.rawTx().orElseThrow()));
        return new StageOutcome.Retry(properties.pollInterval(), "sent again");
      }
    } catch (ChainUnavailableException e) {
      return new StageOutcome.Retry(properties.pollInterval(), "chain: " + e.getMessage());
    } catch (ChainRejectedException e) {
      // e.g. an input was spent by something else meanwhile: keep watching, an operator decides
      log.warn("re-sending {} was refused: {}", claim.tx().id(), e.getMessage());
      return new StageOutcome.Retry(
          properties.pollInterval(), "re-send refused: " + e.getMessage());
    }
    TxStatus seen = status.get();
    int confirmations = (int) Math.min(Integer.MAX_VALUE, seen.confirmations());
    if (confirmations < properties.confirmations()) {
      payments.progress(claim.tx().id(), claim.leaseToken(), confirmations, seen.blockHash());
      // the chain follower wakes it when a block makes it deep enough (ChainFollower.follow)
      return new StageOutcome.Retry(
          properties.confirmationRecheck(), confirmations + " of " + properties.confirmations());
    }
    meters.summary("orchestration_chain_confirmations").record(confirmations);
    return new StageOutcome.Advance(
            TransactionState.CONFIRMED,
            confirmations + " confirmation(s) in block " + seen.blockHash().orElse("?"))
        .setting(
            row -> {
              Payments.confirmed(row, confirmations, seen.blockHash());
              Coins.spent(row);
            });
  }
}
