package io.mpcw.launcher.cluster;

/**
 * The launcher's exit codes: its contract with {@code mpcw}, CI and the bench scripts. Here, below
 * every command, so that a command returns them without reaching up to the command line; {@code
 * MpcwCommand} prints the same list in {@code --help} and docs/operations.md repeats it.
 */
public final class ExitCode {
  /** Done; every check passed. */
  public static final int OK = 0;

  /** A check failed, or the command could not do its work. */
  public static final int FAILED = 1;

  /** A usage error: unknown command or option, a value out of range, a bad MPCW_* variable. */
  public static final int USAGE = 2;

  /** {@code simulate} only: a payment was approved without t honest approvals. */
  public static final int UNSAFE = 3;

  private ExitCode() {}
}
