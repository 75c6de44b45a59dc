package io.mpcw.launcher;

import io.mpcw.launcher.cluster.ExitCode;
import io.mpcw.launcher.cluster.Layout;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top command: only dispatches to its subcommands. The exit codes listed below are the
 * launcher's contract with {@code mpcw}, CI and the bench scripts ({@link ExitCode});
 * docs/operations.md lists the same.
 */
@Command(
    name = "mpcw",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    version = "mpcw 0.1.0-SNAPSHOT",
    description = "The local cluster without Docker, and the tools that drive it.",
    synopsisSubcommandLabel = "<command>",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done; every check passed",
      "1:a check failed (chaos invariant, simulation round, fuzz finding, unhealthy process)"
          + " or the command could not do its work (no cluster, chain unreachable)",
      "2:usage error: unknown command or option, a value out of range, a bad MPCW_* variable",
      "3:simulate only: a payment was approved without t honest approvals (a safety violation)"
    },
    subcommands = {
      HelpCommand.class,
      ClusterCommands.Up.class,
      ClusterCommands.Down.class,
      ClusterCommands.Status.class,
      ClusterCommands.Infra.class,
      ClusterCommands.Pki.class,
      ClusterCommands.EtcdAuth.class,
      PaymentCommands.Fund.class,
      PaymentCommands.Demo.class,
      PaymentCommands.Bench.class,
      SuiteCommands.Simulate.class,
      SuiteCommands.Chaos.class,
      SuiteCommands.Fuzz.class
    })
final class MpcwCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** No command given: the usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE;
  }

  /** The repository the launcher runs from ({@code -Dmpcw.repo}, set by {@code mpcw}). */
  static Path repo() {
    return Path.of(System.getProperty("mpcw.repo", ".")).toAbsolutePath().normalize();
  }

  /** The cluster of this environment with {@code nodes} nodes, else {@code MPCW_NODES} (or 5). */
  static Layout layout(Integer nodes) {
    return new Layout(repo(), nodes != null ? nodes : Layout.nodesFromEnv());
  }

  /** {@code value} when it lies in [min, max]; else a usage error naming the option. */
  static int inRange(CommandSpec spec, String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ParameterException(
          spec.commandLine(), option + " takes a whole number from " + min + " to " + max);
    }
    return value;
  }
}
