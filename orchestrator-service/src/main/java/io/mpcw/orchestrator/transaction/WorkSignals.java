package io.mpcw.orchestrator.transaction;

import io.mpcw.types.transaction.TransactionState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * In-process wake-ups: a committed state change tells the engines of this replica that the new
 * state has work, so its stage starts at once instead of at the next poll. Other replicas learn the
 * same through PostgreSQL's {@code NOTIFY} ({@code pipeline.WorkNotifications}). It lives here,
 * beside {@link StateTransitions} which raises it, so that the state store never depends on the
 * pipeline that listens.
 */
@Component
public class WorkSignals {
  private final List<Consumer<TransactionState>> listeners = new CopyOnWriteArrayList<>();

  public void subscribe(Consumer<TransactionState> listener) {
    listeners.add(listener);
  }

  public void unsubscribe(Consumer<TransactionState> listener) {
    listeners.remove(listener);
  }

  /** Work has (probably) become due in {@code state}; call only after the change committed. */
  public void workIn(TransactionState state) {
    if (state.isTerminal()) {
      return;
    }
    for (Consumer<TransactionState> listener : listeners) {
      listener.accept(state);
    }
  }
}
