package io.mpcw.transport.pki;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./mpcw pki init <dir> <identity>...}: creates the cluster CA, the missing identity
 * certificates and etcd's (its members' certificate and the operator's {@code root} client one).
 * Prints file names only, never key material.
 */
public final class PkiInitCommand {

  private PkiInitCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 1) {
      err.println(
          "usage: PkiInitCommand <dir> <identity>...   (e.g. orchestrator registry node-1)");
      return 2;
    }
    Path dir = Path.of(args[0]);
    List<String> identities = Arrays.asList(args).subList(1, args.length);
    try {
      List<Path> created = new ClusterPki(dir).initAll(identities);
      if (created.isEmpty()) {
        out.println("nothing to do: " + dir + " already holds the CA and " + identities);
      }
      created.forEach(file -> out.println("created " + file));
      return 0;
    } catch (PkiException | IllegalArgumentException e) {
      err.println("pki init failed: " + e.getMessage());
      return 1;
    }
  }
}
