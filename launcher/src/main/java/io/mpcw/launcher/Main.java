package io.mpcw.launcher;

import io.mpcw.launcher.cluster.ExitCode;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * {@code ./mpcw <command>}: the local cluster without Docker and the tools that drive it. The only
 * place that exits the JVM; every command returns one of the codes of {@link ExitCode}, which
 * {@link MpcwCommand} documents.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line on the process's own streams. */
  static CommandLine commandLine() {
    return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
  }

  /**
   * The command line writing help to {@code out} and refusals to {@code err}. An exception a
   * command throws is a failure (exit 1), except a refused setting (an {@link
   * IllegalArgumentException}, e.g. {@code MPCW_NODES} out of range), which is a usage error (2).
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine line = new CommandLine(new MpcwCommand());
    line.setOut(out);
    line.setErr(err);
    line.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof IllegalArgumentException) {
            cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
            return ExitCode.USAGE;
          }
          cmd.getErr().println(cmd.getCommandName() + " failed: " + e);
          e.printStackTrace(cmd.getErr());
          return ExitCode.FAILED;
        });
    return line;
  }
}
