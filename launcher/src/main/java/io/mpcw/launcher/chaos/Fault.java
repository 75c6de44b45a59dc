package io.mpcw.launcher.chaos;

import java.time.Duration;
import java.util.List;

/** A chaos fault: what to set up, what to do while the payments flow, how to leave things. */
interface Fault {
  default void before() {}

  void during();

  default void after() {}

  Duration window();

  /** What the fault observed, printed under its line. */
  default List<String> notes() {
    return List.of();
  }

  /** A promise of the scenario that did not hold (the run fails). */
  default List<String> violations() {
    return List.of();
  }

  /**
   * A promise about the scenario's own payments, once they are final: what did not hold (the run
   * fails); what held goes into {@link #notes()}.
   */
  default List<String> promise(List<PaymentLoad.Payment> payments) {
    return List.of();
  }
}
