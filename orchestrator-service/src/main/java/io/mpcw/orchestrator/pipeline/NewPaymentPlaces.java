package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.transaction.TransactionRecord;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * Where the API asks for a place in this replica's pending stage for a payment it is about to store
 * ({@link PipelineEngine#reserveForNewPayment}): the engine this replica runs, if any.
 */
@Component
public class NewPaymentPlaces {
  private final AtomicReference<PipelineEngine> engine = new AtomicReference<>();

  /** New payments are offered to {@code serving}'s pending stage from now on. */
  public void serveFrom(PipelineEngine serving) {
    engine.set(serving);
  }

  /** {@code stopped} no longer takes new payments (nothing changes if another engine serves). */
  public void stopServing(PipelineEngine stopped) {
    engine.compareAndSet(stopped, null);
  }

  /**
   * A place, when an engine serves and has room now; empty otherwise.
   *
   * @param entering the payment as it is about to be stored
   */
  public Optional<NewPaymentPlace> reserve(TransactionRecord entering) {
    PipelineEngine serving = engine.get();
    return serving == null ? Optional.empty() : serving.reserveForNewPayment(entering);
  }
}
