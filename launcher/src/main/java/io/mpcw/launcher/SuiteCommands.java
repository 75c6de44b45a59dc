package io.mpcw.launcher;

import io.mpcw.launcher.chaos.ChaosCommand;
import io.mpcw.launcher.fuzz.FuzzCommand;
import io.mpcw.launcher.fuzz.QuicFuzz;
import io.mpcw.launcher.simulate.SimulateCommand;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The suites that break things on purpose and check what holds: simulation, chaos, fuzzing. */
final class SuiteCommands {
  private SuiteCommands() {}

  /** A seed as given (0 to 2^31-1), else a random one; printed so a run can be replayed. */
  private static long seed(CommandSpec spec, Integer seed) {
    return seed != null
        ? MpcwCommand.inRange(spec, "--seed", seed, 0, Integer.MAX_VALUE)
        : new Random().nextInt(Integer.MAX_VALUE);
  }

  @Command(
      name = "simulate",
      description =
          "A separate cluster with F Byzantine nodes; checks that the tally and share verification"
              + " catch each fault, round by round (exit 1 when one is missed).")
  static final class Simulate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "7", description = "1-20")
    int nodes;

    @Option(names = "--faulty", paramLabel = "F", defaultValue = "2", description = "0-N")
    int faulty;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3", description = "1-50")
    int rounds;

    @Option(names = "--threshold", paramLabel = "T", description = "1-N (default: the wallet's)")
    Integer threshold;

    @Option(
        names = "--modes",
        paramLabel = "m1,m2",
        split = ",",
        description = "fault modes to draw from (default every vote fault)")
    List<String> modes = SimulateCommand.VOTE_FAULTS;

    @Option(names = "--seed", paramLabel = "S", description = "replay a run's choices")
    Integer seed;

    @Option(names = "--keep", description = "keep the cluster's directory afterwards")
    boolean keep;

    SimulateCommand.Plan plan() {
      MpcwCommand.inRange(spec, "--nodes", nodes, 1, 20);
      MpcwCommand.inRange(spec, "--faulty", faulty, 0, nodes);
      MpcwCommand.inRange(spec, "--rounds", rounds, 1, 50);
      if (threshold != null) {
        MpcwCommand.inRange(spec, "--threshold", threshold, 1, nodes);
      }
      for (String mode : modes) {
        if (!SimulateCommand.VOTE_FAULTS.contains(mode) && !mode.equals("bad-share")) {
          throw new ParameterException(
              spec.commandLine(),
              "unknown fault mode "
                  + mode
                  + "; modes: "
                  + String.join(", ", SimulateCommand.VOTE_FAULTS)
                  + ", bad-share");
        }
      }
      return SimulateCommand.Plan.of(
          nodes, faulty, rounds, Optional.ofNullable(threshold), modes, seed(spec, seed));
    }

    @Override
    public Integer call() {
      return new SimulateCommand(MpcwCommand.repo(), plan()).run(keep);
    }
  }

  @Command(
      name = "chaos",
      description = {
        "A separate cluster under payment load while each scenario kills processes, cuts links,"
            + " skews clocks or slows links; then checks nothing is lost or paid twice (exit 1"
            + " when an invariant or a fault's promise is broken). Runs as root.",
        "Scenarios: process faults (orchestrator-kill-9, etcd-*, byzantine-*, ...), then network, clock and slow-link faults; an unknown name lists them all."
      })
  static final class Chaos implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--scenarios",
        paramLabel = "a,b",
        split = ",",
        description = "the scenarios to run, in this order (default all)")
    List<String> scenarios = ChaosCommand.SCENARIOS;

    @Option(names = "--seed", paramLabel = "S", description = "replay a run's choices")
    Integer seed;

    @Option(names = "--keep", description = "keep the cluster's directory afterwards")
    boolean keep;

    @Override
    public Integer call() {
      for (String name : scenarios) {
        if (!ChaosCommand.SCENARIOS.contains(name)) {
          throw new ParameterException(
              spec.commandLine(),
              "unknown scenario " + name + "; scenarios: " + ChaosCommand.SCENARIOS);
        }
      }
      long chosenSeed = seed(spec, seed);
      System.out.println("chaos: " + scenarios.size() + " scenario(s), seed " + chosenSeed);
      return new ChaosCommand(MpcwCommand.repo(), List.copyOf(scenarios), chosenSeed, keep).run();
    }
  }

  @Command(
      name = "fuzz",
      description =
          "Send N hostile HTTP requests to every service of the running cluster and Q hostile QUIC"
              + " requests to the nodes; counts by status, lists every 5xx, non-problem error or"
              + " wrongly accepted request (exit 1 on any finding).")
  static final class Fuzz implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--requests",
        paramLabel = "N",
        defaultValue = "1000",
        description = "1-1000000")
    int requests;

    @Option(names = "--quic", paramLabel = "Q", description = "0 skips QUIC (default min(N, 3000))")
    Integer quic;

    @Option(names = "--seed", paramLabel = "S", description = "replay a run")
    Long seed;

    @Override
    public Integer call() {
      MpcwCommand.inRange(spec, "--requests", requests, 1, 1_000_000);
      int quicRequests =
          MpcwCommand.inRange(
              spec,
              "--quic",
              quic != null ? quic : Math.min(requests, 3000),
              0,
              QuicFuzz.MAX_REQUESTS);
      return FuzzCommand.run(
          MpcwCommand.layout(null),
          requests,
          quicRequests,
          seed != null ? seed : new Random().nextLong());
    }
  }
}
