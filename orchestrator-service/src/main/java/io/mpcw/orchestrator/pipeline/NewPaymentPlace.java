package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.transaction.TransactionRecord;
import java.time.Duration;

/**
 * A place in this replica's pending stage, reserved for a payment the API is about to store: the
 * payment's INSERT takes the claim ({@link #token}, {@link #lease}), and once it commits the stage
 * starts here with the stored row, with no wake-up and no claim statement. Exactly one of {@link
 * #start} and {@link #giveBack} is called.
 */
public interface NewPaymentPlace {
  /** The lease token the INSERT writes as the row's claim. */
  String token();

  /** How long the claim holds before another engine may take the payment up. */
  Duration lease();

  /** The INSERT with the claim committed: the pending stage starts on {@code tx} here. */
  void start(TransactionRecord tx);

  /** Nothing was stored with the claim: the place is free again. */
  void giveBack();
}
