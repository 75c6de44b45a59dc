package io.mpcw.systemtest.compose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The compose command of this host, as a user types it: {@code docker compose} (v2) where the
 * plugin is installed, else {@code docker-compose} (1.29). Every call is bounded by a timeout,
 * after which the process and its children are killed.
 */
final class ComposeCli {
  /** What a command printed (stdout and stderr together) and how it exited. */
  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  private final List<String> command;
  private final Path directory;
  private final Map<String, String> environment;

  private ComposeCli(List<String> command, Path directory, Map<String, String> environment) {
    this.command = command;
    this.directory = directory;
    this.environment = environment;
  }

  /**
   * The compose command, if a Docker engine answers and a compose CLI is installed; otherwise why
   * not, in one line.
   */
  static Optional<ComposeCli> find(
      Path directory, Map<String, String> environment, StringBuilder whyNot) {
    Result engine =
        run(
            directory,
            Map.of(),
            Duration.ofSeconds(20),
            List.of("docker", "version", "--format", "{{.Server.Version}}"));
    if (!engine.ok()) {
      whyNot
          .append("no Docker engine answers (`docker version`: ")
          .append(firstLine(engine.output()))
          .append(')');
      return Optional.empty();
    }
    for (List<String> candidate :
        List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
      List<String> version = new ArrayList<>(candidate);
      version.add("version");
      if (run(directory, Map.of(), Duration.ofSeconds(20), version).ok()) {
        return Optional.of(new ComposeCli(candidate, directory, environment));
      }
    }
    whyNot.append(
        "a Docker engine answers, but neither `docker compose` nor `docker-compose` is installed");
    return Optional.empty();
  }

  /** The command as typed, e.g. {@code docker-compose}. */
  String name() {
    return String.join(" ", command);
  }

  /** {@code <compose> args...}, in the repository root. */
  Result compose(Duration timeout, String... args) {
    List<String> full = new ArrayList<>(command);
    full.addAll(List.of(args));
    return run(directory, environment, timeout, full);
  }

  /** {@code docker args...}: inspect and the like. */
  Result docker(Duration timeout, String... args) {
    List<String> full = new ArrayList<>(List.of("docker"));
    full.addAll(List.of(args));
    return run(directory, environment, timeout, full);
  }

  private static Result run(
      Path directory, Map<String, String> environment, Duration timeout, List<String> command) {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      // read on another thread: a full pipe would block the process past its timeout
      StringBuilder output = new StringBuilder();
      Thread reader =
          new Thread(
              () -> {
                try {
                  output.append(
                      new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  output.append("(output unreadable: ").append(e.getMessage()).append(')');
                }
              });
      reader.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return new Result(
            -1, output + "\n(killed after " + timeout + ": " + String.join(" ", command) + ")");
      }
      reader.join();
      return new Result(process.exitValue(), output.toString());
    } catch (IOException e) {
      return new Result(-1, String.join(" ", command) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String firstLine(String text) {
    String trimmed = text.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline);
  }
}
