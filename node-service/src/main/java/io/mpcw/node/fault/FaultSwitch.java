package io.mpcw.node.fault;

import org.slf4j.Logger;

/** The startup rule for the fault switch, apart from Spring so it can be tested directly. */
public final class FaultSwitch {

  private FaultSwitch() {}

  /** The Spring profile that must be active, explicitly, for a node to simulate a fault. */
  public static final String PROFILE = "fault-injection";

  /**
   * A fault is allowed only where it was asked for twice: the mode and the {@value #PROFILE}
   * profile. A deployment that sets no profile at all (the compose file, a hand-written unit) can
   * therefore never run a faulty node by one stray variable.
   *
   * @throws IllegalStateException when a fault is switched on without the profile
   */
  public static ByzantineMode check(ByzantineMode mode, boolean faultInjection, Logger log) {
    if (mode.honest()) {
      return mode;
    }
    if (!faultInjection) {
      throw new IllegalStateException(
          "mpcw.node.byzantine="
              + mode.id()
              + " simulates a faulty node and is refused unless the Spring profile "
              + PROFILE
              + " is active (SPRING_PROFILES_ACTIVE="
              + PROFILE
              + "); unset MPCW_NODE_BYZANTINE or set it to none");
    }
    log.warn(
        "!!! BYZANTINE FAULT SIMULATION ON: mpcw.node.byzantine={} - this node deliberately"
            + " misbehaves when voting or signing; never run it in a real cluster !!!",
        mode.id());
    return mode;
  }
}
