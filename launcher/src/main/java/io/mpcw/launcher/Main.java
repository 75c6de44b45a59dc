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
    int nodes = intOption(rest, "--nodes", 5);
    Layout layout = new Layout(repo, nodes);
    String command = args.length == 0 ? "help" : args[0];
    int exit =
        switch (command) {
          case "up" -> new UpCommand(layout, rest.contains("--fresh")).run();
          case "down" -> new DownCommand(layout).run();
          case "status" -> new StatusCommand(layout).run();
          case "infra" -> new InfraCommand(layout).run();
          case "pki" -> PkiCommand.run(layout, rest);
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
          test                      run every test (./mvnw -B verify)
        """);
    return 2;
  }

  private static int intOption(List<String> args, String name, int fallback) {
    int i = args.indexOf(name);
    if (i < 0 || i + 1 >= args.size()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(args.get(i + 1));
      if (value < 1 || value > 20) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      System.err.println(name + " takes a whole number from 1 to 20");
      System.exit(2);
      return fallback;
    }
  }
}
