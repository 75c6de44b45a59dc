package io.mpcw.orchestrator.broadcast;

import io.mpcw.chain.ChainClient;
import io.mpcw.chain.ChainRejectedException;
import io.mpcw.chain.ChainUnavailableException;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.chain.ChainProperties;
import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.payment.Payments;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code signed → broadcasting}: sends the signed transaction. Sending it again after a crash is
 * harmless (a chain that already has it answers success), so the move is recorded after the send.
 * The chain refusing it fails the payment with the chain's reason; its coins stay reserved, since a
 * refusal does not prove the transaction never reached another node of the network. A sent payment
 * is looked at again when a block includes it (the chain follower wakes it), at the latest after
 * {@code mpcw.chain.confirmation-recheck}.
 */
@Component
class BroadcastStage implements StageHandler {
  private static final Logger log = LoggerFactory.getLogger(BroadcastStage.class);
  private final Payments payments;
  private final ChainClient chain;
  private final ChainProperties properties;

  BroadcastStage(Payments payments, ChainClient chain, ChainProperties properties) {
    this.payments = payments;
    this.chain = chain;
    this.properties = properties;
  }

  @Override
  public TransactionState stage() {
    return TransactionState.SIGNED;
  }

  @Override
  public StageOutcome handle(ClaimedTransaction claim) {
    // handed over by the move to signed, or read back (a claim from the database)
    byte[] raw =
        claim
            .handedOver(Payments.Signed.class)
            .map(Payments.Signed::rawTx)
            .or(() -> payments.find(claim.tx().id()).flatMap(BuiltPayment::rawTx))
            .orElseThrow(() -> new IllegalStateException("signed, no raw tx"));
    String txid;
    try {
      txid = chain.broadcast(Hex.encode(raw));
    } catch (ChainUnavailableException e) {
      return new StageOutcome.Retry(Duration.ofSeconds(1), "chain: " + e.getMessage());
    } catch (ChainRejectedException e) {
      log.warn("the chain refused {}: {}", claim.tx().id(), e.getMessage());
      return new StageOutcome.Advance(
              TransactionState.FAILED, "the chain refused the transaction: " + e.getMessage())
          .setting(Payments::broadcast);
    }
    // nothing to look at before a block includes it: the chain follower wakes it then, and the
    // confirmation stage's recheck (a dropped transaction is sent again) is the safety net
    return new StageOutcome.Advance(TransactionState.BROADCASTING, "sent " + txid)
        .setting(Payments::broadcast)
        .firstLookAfter(properties.confirmationRecheck());
  }
}
