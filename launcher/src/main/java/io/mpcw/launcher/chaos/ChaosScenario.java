package io.mpcw.launcher.chaos;

import io.mpcw.launcher.cluster.Processes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One chaos scenario: the payment load for the fault's window while the fault acts, then the drain
 * and the checks, as one line of the report.
 */
final class ChaosScenario {
  private static final Duration SUBMIT_EVERY = Duration.ofMillis(1_200);
  private static final Duration DRAIN = Duration.ofMinutes(4);

  private ChaosScenario() {}

  /** One scenario's line of the report. */
  record Row(
      String scenario,
      int payments,
      int confirmed,
      int lost,
      int duplicated,
      double maxStallSeconds,
      List<String> violations,
      List<String> notes) {
    String line() {
      return String.format(
          "%-24s %8d %9d %5d %10d %14.1f",
          scenario, payments, confirmed, lost, duplicated, maxStallSeconds);
    }
  }

  /** Runs the load for the scenario's window while its fault acts, then drains and checks. */
  static Row run(String name, Fault fault, PaymentLoad load, ChaosInvariants invariants) {
    fault.before();
    load.takeMaxStall();
    List<PaymentLoad.Payment> mine = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread poller =
        new Thread(
            () -> {
              while (!stop.get()) {
                load.poll();
                Processes.sleep(500);
              }
            },
            "chaos-poll");
    poller.start();
    // a fault that could not play out (e.g. a member that did not come back) tested less than the
    // scenario claims: the run fails and keeps its logs, instead of passing silently
    List<String> faultFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread faults =
        new Thread(
            () -> {
              try {
                fault.during();
              } catch (RuntimeException e) {
                faultFailures.add("the fault did not play out: " + e.getMessage());
              }
            },
            "chaos-fault");
    faults.start();
    // the load runs for the window, and on until the fault has played out
    Instant end = Instant.now().plus(fault.window());
    while (Instant.now().isBefore(end) || faults.isAlive()) {
      mine.add(load.submit(name, Duration.ofMinutes(2)));
      Processes.sleep(SUBMIT_EVERY.toMillis());
    }
    try {
      faults.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    fault.after();
    stop.set(true);
    try {
      poller.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    load.awaitFinal(DRAIN);
    double stall = load.takeMaxStall().toMillis() / 1000.0;
    List<String> violations = invariants.payments(mine);
    violations.addAll(fault.promise(mine));
    violations.addAll(fault.violations());
    violations.addAll(faultFailures);
    int confirmed = (int) mine.stream().filter(p -> p.state().equals("confirmed")).count();
    for (PaymentLoad.Payment p : mine) {
      if (!p.state().equals("confirmed")) {
        violations.add(
            p.key
                + " ended "
                + p.state()
                + ": "
                + Optional.ofNullable(p.last)
                    .map(t -> t.path("state_reason").asText(""))
                    .orElse(""));
      }
    }
    int duplicated = (int) mine.stream().filter(p -> p.ids.size() > 1).count();
    return new Row(
        name,
        mine.size(),
        confirmed,
        mine.size() - confirmed,
        duplicated,
        stall,
        violations,
        fault.notes());
  }
}
