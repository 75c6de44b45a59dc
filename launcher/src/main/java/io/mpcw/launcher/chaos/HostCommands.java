package io.mpcw.launcher.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host tools a chaos run drives ({@code nft}), with their output and a bounded wait. */
final class HostCommands {
  private HostCommands() {}

  record Result(int exit, String out) {}

  static void nft(String script) {
    if (script.isBlank()) {
      return;
    }
    Result r = exec(List.of("nft", "-f", "-"), script + "\n");
    if (r.exit() != 0) {
      throw new IllegalStateException("nft refused:\n" + script + "\n" + r.out());
    }
  }

  static String run(List<String> command) {
    Result r = exec(command);
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + r.out());
    }
    return r.out();
  }

  static Result exec(List<String> command) {
    return exec(command, null);
  }

  static Result exec(List<String> command, String stdin) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, out + "(timed out)");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, command.get(0) + " not runnable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
