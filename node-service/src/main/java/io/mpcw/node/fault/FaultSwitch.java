package io.mpcw.node.fault;

import org.slf4j.Logger;

/** The startup rule for the fault switch, apart from Spring so it can be tested directly. */
public final class FaultSwitch {

  private FaultSwitch() {}

  /**
   * @throws IllegalStateException when a fault is switched on under the production profile
   */
  public static ByzantineMode check(ByzantineMode mode, boolean production, Logger log) {
    if (mode.honest()) {
      return mode;
    }
    if (production) {
      throw new IllegalStateException(
          "mpcw.node.byzantine="
              + mode.id()
              + " simulates a faulty node and is refused with the production profile active;"
              + " unset MPCW_NODE_BYZANTINE or set it to none");
    }
    log.warn(
        "!!! BYZANTINE FAULT SIMULATION ON: mpcw.node.byzantine={} - this node deliberately"
            + " misbehaves when voting or signing; never run it in a real cluster !!!",
        mode.id());
    return mode;
  }
}
