package io.mpcw.launcher;

import io.mpcw.launcher.cluster.DownCommand;
import io.mpcw.launcher.cluster.EtcdAuthCommand;
import io.mpcw.launcher.cluster.ExitCode;
import io.mpcw.launcher.cluster.InfraCommand;
import io.mpcw.launcher.cluster.Layout;
import io.mpcw.launcher.cluster.PkiCommand;
import io.mpcw.launcher.cluster.StatusCommand;
import io.mpcw.launcher.cluster.UpCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The commands that start, stop and inspect the local cluster, and make its PKI. */
final class ClusterCommands {
  private ClusterCommands() {}

  /** {@code --nodes N}: 1 to 20, else {@code MPCW_NODES} (or 5). */
  static final class Nodes {
    @Option(
        names = "--nodes",
        paramLabel = "N",
        description = "how many nodes (1-20; default MPCW_NODES or 5)")
    Integer nodes;

    Layout layout(CommandSpec spec) {
      if (nodes != null) {
        MpcwCommand.inRange(spec, "--nodes", nodes, 1, 20);
      }
      return MpcwCommand.layout(nodes);
    }
  }

  @Command(
      name = "up",
      description =
          "Start PostgreSQL 17 (embedded), etcd, the chain simulator, the registry, N nodes and"
              + " the orchestrator as separate processes.")
  static final class Up implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin Nodes nodes = new Nodes();

    @Option(names = "--fresh", description = "stop the cluster and delete its state first")
    boolean fresh;

    @Override
    public Integer call() {
      return new UpCommand(nodes.layout(spec), fresh).run();
    }
  }

  @Command(name = "down", description = "Stop everything 'up' started, the services first.")
  static final class Down implements Callable<Integer> {
    @Override
    public Integer call() {
      return new DownCommand(MpcwCommand.layout(null)).run();
    }
  }

  @Command(
      name = "status",
      description = "Show what runs and whether it is healthy (exit 1 when a process is not).")
  static final class Status implements Callable<Integer> {
    @Override
    public Integer call() {
      return new StatusCommand(MpcwCommand.layout(null)).run();
    }
  }

  /** Started by {@code up} as its own process; not for people. */
  @Command(
      name = "infra",
      hidden = true,
      description = "Run embedded PostgreSQL and etcd until stopped (internal: 'up' starts it).")
  static final class Infra implements Callable<Integer> {
    @Override
    public Integer call() {
      return new InfraCommand(MpcwCommand.layout(null)).run();
    }
  }

  @Command(
      name = "pki",
      description = "The cluster PKI.",
      synopsisSubcommandLabel = "init",
      subcommands = Pki.Init.class)
  static final class Pki implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** {@code pki} alone: what it takes, as a usage error. */
    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return ExitCode.USAGE;
    }

    @Command(
        name = "init",
        description =
            "Create the cluster CA and a certificate per identity under .mpcw/pki (only what is"
                + " missing; never overwrites).")
    static final class Init implements Callable<Integer> {
      @Spec CommandSpec spec;

      @picocli.CommandLine.Mixin Nodes nodes = new Nodes();

      @Override
      public Integer call() {
        return PkiCommand.run(nodes.layout(spec));
      }
    }
  }

  @Command(
      name = "etcd-auth",
      description =
          "Provision etcd's users and roles and enable auth (reads MPCW_ETCD_ENDPOINTS,"
              + " MPCW_PKI_DIR, MPCW_NODES, MPCW_ETCD_PREFIX); the compose etcd-auth one-shot.")
  static final class EtcdAuth implements Callable<Integer> {
    @Override
    public Integer call() {
      return EtcdAuthCommand.run(System.getenv());
    }
  }
}
