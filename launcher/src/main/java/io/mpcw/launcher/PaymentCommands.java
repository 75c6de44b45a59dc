package io.mpcw.launcher;

import io.mpcw.chain.ChainClient;
import io.mpcw.launcher.bench.OpenLoopBench;
import io.mpcw.launcher.bench.PaymentBench;
import io.mpcw.launcher.cluster.ChainClients;
import io.mpcw.launcher.cluster.Credentials;
import io.mpcw.launcher.cluster.ExitCode;
import io.mpcw.launcher.cluster.FundCommand;
import io.mpcw.launcher.cluster.Layout;
import io.mpcw.launcher.cluster.Processes;
import io.mpcw.launcher.demo.DemoCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The commands that pay on a running cluster: funding, the demo, the benchmarks. */
public final class PaymentCommands {
  private PaymentCommands() {}

  private static Credentials credentials(Layout layout) {
    return Credentials.loadOrCreate(layout, new boolean[1]);
  }

  private static ChainClient chain(Layout layout) {
    return ChainClients.of(credentials(layout));
  }

  @Command(
      name = "fund",
      description =
          "Pay an address (or the default wallet) from the chain's faucet, in K outputs; on the"
              + " simulator a block is mined so the coins are spendable at once.")
  static final class Fund implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<address|default>", description = "who is paid")
    String address;

    @Parameters(index = "1", paramLabel = "<sats>", description = "satoshis in all")
    long sats;

    @Option(
        names = "--outputs",
        paramLabel = "K",
        defaultValue = "1",
        description = "split into K outputs (1-10000, default ${DEFAULT-VALUE})")
    int outputs;

    @Override
    public Integer call() {
      MpcwCommand.inRange(spec, "--outputs", outputs, 1, 10_000);
      Layout layout = MpcwCommand.layout(null);
      return new FundCommand(layout, credentials(layout), chain(layout))
          .run(address, sats, outputs);
    }
  }

  @Command(
      name = "demo",
      description =
          "On a running cluster: fund the default wallet, submit 5 payments (one above the nodes'"
              + " limit), follow their states live, then a summary table.")
  static final class Demo implements Callable<Integer> {
    @Override
    public Integer call() {
      Layout layout = MpcwCommand.layout(null);
      return new DemoCommand(layout, credentials(layout), chain(layout)).run();
    }
  }

  @Command(
      name = "bench",
      description = {
        "Open-loop payment benchmark on the running cluster: POSTs at R/s for S s, then latency"
            + " percentiles, failures and CPU seconds per payment per process.",
        "With --closed-loop: each client follows its payment to confirmed before the next."
      })
  public static final class Bench implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--rate",
        paramLabel = "R",
        defaultValue = "2",
        description = "payments per second offered (0.1-200, default ${DEFAULT-VALUE})")
    double rate;

    @Option(
        names = "--seconds",
        paramLabel = "S",
        defaultValue = "30",
        description = "send window in seconds (1-600, default ${DEFAULT-VALUE})")
    int seconds;

    @Option(
        names = "--until",
        paramLabel = "signed|confirmed",
        defaultValue = "signed",
        description = "the state each payment is followed to (default ${DEFAULT-VALUE})")
    String until;

    @Option(
        names = "--coins",
        paramLabel = "K",
        description = "coins to fund first (default one per payment and 10%% + 5)")
    Integer coins;

    @Option(
        names = "--amount",
        paramLabel = "SATS",
        defaultValue = "10000",
        description = "each payment's amount (546-100000000, default ${DEFAULT-VALUE})")
    int amount;

    @Option(
        names = "--drain",
        paramLabel = "D",
        defaultValue = "120",
        description = "longest wait (s) after the window for payments to get there")
    int drain;

    @Option(
        names = "--idle",
        paramLabel = "I",
        defaultValue = "5",
        description = "idle CPU baseline (s) before the load")
    int idle;

    @Option(
        names = "--faulty-signer",
        paramLabel = "none|silent|slow|bad-share|withhold-share",
        description =
            "one wallet participant restarted in that signing fault for the run (honest after);"
                + " sessions per payment are printed")
    String faultySigner;

    @Option(
        names = "--nodes",
        paramLabel = "N",
        description = "refuse unless the running cluster has N nodes")
    Integer nodes;

    @Option(names = "--closed-loop", description = "closed loop instead of open")
    boolean closedLoop;

    @Option(
        names = "--clients",
        paramLabel = "C",
        defaultValue = "1",
        description = "closed loop: clients at once (1-256, default ${DEFAULT-VALUE})")
    int clients;

    @Option(
        names = "--payments",
        paramLabel = "P",
        defaultValue = "20",
        description = "closed loop: payments in all (default ${DEFAULT-VALUE})")
    int payments;

    @Option(
        names = "--dkg",
        paramLabel = "W",
        defaultValue = "5",
        description = "DKG rounds first (closed loop)")
    int dkg;

    /** The open loop's options, checked (a usage error when out of range). */
    public OpenLoopBench.Options openLoop() {
      try {
        return OpenLoopBench.Options.of(
            rate, seconds, until, coins, amount, drain, idle, faultySigner);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }

    @Override
    public Integer call() throws Exception {
      OpenLoopBench.Options open = null;
      if (closedLoop) {
        MpcwCommand.inRange(spec, "--clients", clients, 1, 256);
        MpcwCommand.inRange(spec, "--payments", payments, 1, 100_000);
        MpcwCommand.inRange(spec, "--amount", amount, 546, 100_000_000);
        MpcwCommand.inRange(spec, "--dkg", dkg, 0, 1000);
      } else {
        open = openLoop();
      }
      if (nodes != null) {
        MpcwCommand.inRange(spec, "--nodes", nodes, 1, 20);
      }
      Layout layout = MpcwCommand.layout(null);
      if (Processes.running(layout, "orchestrator").isEmpty()) {
        System.err.println(
            "no cluster runs in " + layout.show(layout.home()) + ": ./mpcw up first");
        return ExitCode.FAILED;
      }
      // the running cluster's node count, from its pid files
      layout =
          layout.withNodes(
              (int) Processes.known(layout).stream().filter(n -> n.startsWith("node-")).count());
      if (nodes != null && nodes != layout.nodes()) {
        throw new ParameterException(
            spec.commandLine(),
            String.format(
                "the running cluster has %d nodes, not %d: ./mpcw down, then MPCW_NODES=%d"
                    + " ./mpcw up",
                layout.nodes(), nodes, nodes));
      }
      if (closedLoop) {
        return new PaymentBench(layout, credentials(layout), chain(layout))
            .run(clients, payments, amount, dkg);
      }
      return new OpenLoopBench(layout, credentials(layout), chain(layout)).run(open);
    }
  }
}
