package io.mpcw.launcher.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Starts the cluster's processes detached (output to {@code .mpcw/logs/<name>.log}, pid in {@code
 * .mpcw/run/<name>.pid}) so they outlive the launcher, and finds and stops them again later.
 */
public final class Processes {
  /**
   * JVM options of every service process in the default profile {@code fast-start}: small heaps,
   * serial GC, C1 only. Eight JVMs start on two cores in seconds, but hot crypto and TLS code never
   * reaches C2, which is why benchmarks use {@link #THROUGHPUT_JVM}.
   */
  static final String FAST_START_JVM =
      "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto";

  /**
   * The {@code throughput} profile: every JIT tier (C2 compiles the hot field arithmetic and
   * SunEC/BouncyCastle code), a heap that does not grow under load; start-up takes longer.
   */
  static final String THROUGHPUT_JVM = "-Xms192m -Xmx384m -XX:+UseSerialGC -Xshare:auto";

  /**
   * What the {@code throughput} profile adds for the nodes: C1 alone. Their hot crypto is native
   * (libsecp256k1) and the rest is I/O glue, so C2 bought them nothing at 100 payments/s while its
   * compiling cost a quarter of the cluster's CPU at 10/s, five JVMs compiling the same code
   * (docs/benchmarks.md, nineteenth round).
   */
  static final String THROUGHPUT_NODE_EXTRA = "-XX:TieredStopAtLevel=1";

  /**
   * What the {@code throughput} profile adds for the orchestrator: every compile threshold at a
   * quarter. Its hot path is a long tail of methods each called a few times per payment, which
   * reached C2 one after the other for ≈ 15,000 payments at the default thresholds (C2's thresholds
   * rise with its queue under load); at a quarter more of it is done during the warm-up, and its
   * CPU per payment after the standard warm-up was lower in every run at 50 and 100 payments/s
   * (docs/benchmarks.md, twenty-second round).
   */
  static final String THROUGHPUT_ORCHESTRATOR_EXTRA = "-XX:CompileThresholdScaling=0.25";

  /** The {@code throughput} profile's options for one kind of service, after the shared ones. */
  private static final Map<String, String> THROUGHPUT_EXTRA =
      Map.of("NODE", THROUGHPUT_NODE_EXTRA, "ORCHESTRATOR", THROUGHPUT_ORCHESTRATOR_EXTRA);

  private Processes() {}

  public static long start(
      Layout layout, String name, List<String> command, Map<String, String> env) {
    try {
      Files.createDirectories(layout.logs());
      Files.createDirectories(layout.run());
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(layout.repo().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log(layout, name).toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().putAll(env);
      Process process = pb.start();
      Files.writeString(
          pidFile(layout, name), Long.toString(process.pid()), StandardCharsets.US_ASCII);
      return process.pid();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /**
   * Starts a service's jar with the JVM options of {@link #serviceJvmOptions(Map)} for the
   * launcher's environment.
   */
  public static long startService(Layout layout, ServiceSpec spec, Map<String, String> extraEnv) {
    Map<String, String> env = new java.util.HashMap<>(spec.env());
    env.putAll(extraEnv);
    String jvm = serviceJvmOptions(System.getenv(), spec.module());
    return start(
        layout, spec.name(), javaCommand(jvm, "-jar", layout.jar(spec.module()).toString()), env);
  }

  /**
   * The services' JVM options: {@code MPCW_JAVA_OPTS} when set (it replaces them), else the profile
   * named by {@code MPCW_JVM_PROFILE}: {@code fast-start} (the default) or {@code throughput}.
   *
   * @throws IllegalArgumentException for another profile name
   */
  public static String serviceJvmOptions(Map<String, String> env) {
    if (explicit(env)) {
      return env.get("MPCW_JAVA_OPTS");
    }
    String profile = profile(env);
    return switch (profile) {
      case "", "fast-start" -> FAST_START_JVM;
      case "throughput" -> THROUGHPUT_JVM;
      default ->
          throw new IllegalArgumentException(
              "MPCW_JVM_PROFILE must be fast-start or throughput, not '" + profile + "'");
    };
  }

  /**
   * {@link #serviceJvmOptions(Map)} for one kind of service ({@code NODE}, {@code ORCHESTRATOR} or
   * {@code REGISTRY}, from the module's name): the {@code throughput} profile's nodes run on C1
   * alone ({@link #THROUGHPUT_NODE_EXTRA}) and its orchestrator compiles sooner ({@link
   * #THROUGHPUT_ORCHESTRATOR_EXTRA}); then {@code MPCW_JAVA_OPTS_<KIND>} when set. HotSpot takes
   * the last of two settings of one flag, so these add to or override the shared options for that
   * kind alone, e.g. {@code MPCW_JAVA_OPTS_NODE=-XX:TieredStopAtLevel=4} gives the nodes every tier
   * again.
   */
  public static String serviceJvmOptions(Map<String, String> env, String module) {
    String options = serviceJvmOptions(env);
    String kind = module.replaceFirst("-service$", "").replace('-', '_').toUpperCase(Locale.ROOT);
    String extra = THROUGHPUT_EXTRA.get(kind);
    if (extra != null && !explicit(env) && profile(env).equals("throughput")) {
      options = options + " " + extra;
    }
    String own = env.get("MPCW_JAVA_OPTS_" + kind);
    return own == null || own.isBlank() ? options : options + " " + own.trim();
  }

  private static boolean explicit(Map<String, String> env) {
    String explicit = env.get("MPCW_JAVA_OPTS");
    return explicit != null && !explicit.isBlank();
  }

  private static String profile(Map<String, String> env) {
    return env.getOrDefault("MPCW_JVM_PROFILE", "").trim();
  }

  /** Polls {@code ready} every 200 ms until it holds or {@code timeout} has passed. */
  public static boolean await(Duration timeout, java.util.function.BooleanSupplier ready) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (ready.getAsBoolean()) {
        return true;
      }
      sleep(200);
    }
    return ready.getAsBoolean();
  }

  public static List<String> javaCommand(String jvmOptions, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String opt : jvmOptions.trim().split("\\s+")) {
      if (!opt.isEmpty()) {
        cmd.add(opt);
      }
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  public static Optional<ProcessHandle> running(Layout layout, String name) {
    Path pid = pidFile(layout, name);
    if (!Files.exists(pid)) {
      return Optional.empty();
    }
    try {
      long value = Long.parseLong(Files.readString(pid).trim());
      return ProcessHandle.of(value).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Names of every process that has a pid file, in start order of the cluster. */
  public static List<String> known(Layout layout) {
    if (!Files.isDirectory(layout.run())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(layout.run())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".pid"))
          .map(n -> n.substring(0, n.length() - 4))
          .sorted(Processes::startOrder)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM, then SIGKILL after {@code grace}; removes the pid file. */
  public static void stop(Layout layout, String name, Duration grace) {
    running(layout, name)
        .ifPresent(
            handle -> {
              handle.destroy();
              Instant deadline = Instant.now().plus(grace);
              while (handle.isAlive() && Instant.now().isBefore(deadline)) {
                sleep(100);
              }
              if (handle.isAlive()) {
                handle.destroyForcibly();
              }
            });
    try {
      Files.deleteIfExists(pidFile(layout, name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path log(Layout layout, String name) {
    return layout.logs().resolve(name + ".log");
  }

  public static String tail(Layout layout, String name, int lines) {
    try {
      List<String> all = Files.readAllLines(log(layout, name), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Path pidFile(Layout layout, String name) {
    return layout.run().resolve(name + ".pid");
  }

  private static int startOrder(String a, String b) {
    return Integer.compare(rank(a), rank(b)) != 0
        ? Integer.compare(rank(a), rank(b))
        : a.compareTo(b);
  }

  private static int rank(String name) {
    if (name.equals("infra")) {
      return 0;
    }
    if (name.equals("registry")) {
      return 1;
    }
    return name.startsWith("node-") ? 2 : 3;
  }
}
