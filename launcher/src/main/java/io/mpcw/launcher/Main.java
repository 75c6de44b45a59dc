package io.mpcw.launcher;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** {@code ./mpcw up | down | status | infra}: the local cluster without Docker. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
    Path repo = Path.of(System.getProperty("mpcw.repo", ".")).toAbsolutePath().normalize();
    Layout layout = new Layout(repo, intOption(rest, "--nodes", Layout.nodesFromEnv()));
    String command = args.length == 0 ? "help" : args[0];
    int exit =
        switch (command) {
          case "up" -> new UpCommand(layout, rest.contains("--fresh")).run();
          case "down" -> new DownCommand(layout).run();
          case "status" -> new StatusCommand(layout).run();
          case "infra" -> new InfraCommand(layout).run();
          case "pki" -> PkiCommand.run(layout, rest);
          case "etcd-auth" -> EtcdAuthCommand.run(System.getenv());
          case "fund" -> new FundCommand(layout, credentials(layout), chain(layout)).run(rest);
          case "bench" -> bench(layout.withNodes(runningNodes(layout)), rest);
          case "demo" -> new DemoCommand(layout, credentials(layout), chain(layout)).run();
          case "simulate" -> SimulateCommand.run(repo, rest);
          case "chaos" -> ChaosCommand.run(repo, rest);
          case "fuzz" -> FuzzCommand.run(layout, rest);
          default -> usage();
        };
    System.exit(exit);
  }

  private static int usage() {
    System.out.println(
        """
        usage: ./mpcw <command>
          up [--nodes N] [--fresh]  start PostgreSQL, etcd, the registry, N nodes (default 5) and the orchestrator
          down                      stop everything 'up' started
          status                    show what runs and whether it is healthy
          pki init [--nodes N]      create the cluster CA and certificates under .mpcw/pki (only what is missing)
          etcd-auth                 provision etcd's users and roles and enable auth (MPCW_ETCD_ENDPOINTS, MPCW_PKI_DIR, MPCW_NODES)
          fund <address|default> <sats> [--outputs K]   pay from the chain's faucet
          demo                      fund the default wallet, 5 payments followed live, a summary table
          bench --rate R --seconds S [--until signed|confirmed] [--nodes N] [--coins K] [--amount S]
                [--drain D] [--idle I]      open-loop payment benchmark: POSTs at R/s for S s, then
                                    latency percentiles, failures and CPU seconds per payment
                [--faulty-signer none|silent|slow|bad-share|withhold-share]
                                    one wallet participant restarted in that signing fault for
                                    the run (honest after); sessions per payment are printed
          bench --closed-loop [--clients C] [--payments P] [--amount S] [--dkg W]
                                    closed loop: each client follows its payment to confirmed
          simulate [--nodes N] [--faulty F] [--rounds R] [--threshold T] [--modes m,..] [--seed S] [--keep]
                                    an ephemeral cluster with F Byzantine nodes; every round's votes and outcome
          chaos [--scenarios a,b] [--seed S] [--keep]
                                    fault injection on real processes; a line per scenario, invariants checked
          fuzz --requests N [--quic Q] [--seed S]
                                    hostile HTTP requests to every service of the running cluster;
                                    counts by status, every 5xx / non-problem error / wrongly accepted
          test                      run every test (./mvnw -B verify)
        """);
    return 2;
  }

  private static int intOption(List<String> args, String name, int fallback) {
    return intOption(args, name, fallback, 1, 20);
  }

  static int intOption(List<String> args, String name, int fallback, int min, int max) {
    int i = args.indexOf(name);
    if (i < 0 || i + 1 >= args.size()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(args.get(i + 1));
      if (value < min || value > max) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      System.err.println(name + " takes a whole number from " + min + " to " + max);
      System.exit(2);
      return fallback;
    }
  }

  /** Arguments that are neither an option nor an option's value. */
  static List<String> positionals(List<String> args) {
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).startsWith("--")) {
        if (i + 1 < args.size()
            && !args.get(i + 1).startsWith("--")
            && !FLAGS.contains(args.get(i))) {
          i++;
        }
      } else {
        out.add(args.get(i));
      }
    }
    return out;
  }

  private static final java.util.Set<String> FLAGS = java.util.Set.of("--fresh", "--closed-loop");

  private static Credentials credentials(Layout layout) {
    return Credentials.loadOrCreate(layout, new boolean[1]);
  }

  private static io.mpcw.chain.ChainClient chain(Layout layout) {
    return ChainClients.of(credentials(layout));
  }

  /** The running cluster's node count, from its pid files (0 when none runs). */
  private static int runningNodes(Layout layout) {
    return (int) Processes.known(layout).stream().filter(n -> n.startsWith("node-")).count();
  }

  private static int bench(Layout layout, List<String> args) {
    if (Processes.running(layout, "orchestrator").isEmpty()) {
      System.err.println("no cluster runs in " + layout.show(layout.home()) + ": ./mpcw up first");
      return 1;
    }
    int nodes = intOption(args, "--nodes", layout.nodes(), 1, 20);
    if (nodes != layout.nodes()) {
      System.err.printf(
          "the running cluster has %d nodes, not %d: ./mpcw down, then MPCW_NODES=%d ./mpcw up%n",
          layout.nodes(), nodes, nodes);
      return 2;
    }
    try {
      if (args.contains("--closed-loop")) {
        return new PaymentBench(layout, credentials(layout), chain(layout))
            .run(
                intOption(args, "--clients", 1, 1, 256),
                intOption(args, "--payments", 20, 1, 100_000),
                intOption(args, "--amount", 10_000, 546, 100_000_000),
                intOption(args, "--dkg", 5, 0, 1000));
      }
      return new OpenLoopBench(layout, credentials(layout), chain(layout))
          .run(OpenLoopBench.Options.parse(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println("benchmark failed: " + e);
      return 1;
    }
  }
}
