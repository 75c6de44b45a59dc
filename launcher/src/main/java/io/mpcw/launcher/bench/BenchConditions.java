package io.mpcw.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.launcher.cluster.Layout;
import io.mpcw.launcher.cluster.Processes;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The conditions a bench ran under, printed before its numbers and read from the running processes
 * (their environment and JVM options), the repository and the machine rather than assumed.
 */
final class BenchConditions {
  private final Layout layout;

  BenchConditions(Layout layout) {
    this.layout = layout;
  }

  /**
   * The services' JVM options as one line when they are the same, else each kind's (a run with,
   * say, {@code MPCW_JAVA_OPTS_NODE} set must say so).
   */
  static String jvmOptionsByService(Map<String, String> byKind) {
    if (byKind.values().stream().distinct().count() == 1) {
      return byKind.values().iterator().next();
    }
    return byKind.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining("; "));
  }

  private String jvmOptions(String service) {
    return Processes.running(layout, service)
        .map(h -> String.join(" ", ProcFs.jvmOptions(ProcFs.commandLine(h.pid()))))
        .orElse("unknown");
  }

  /** Conditions of the run, read from the running processes rather than assumed. */
  void print(
      OpenLoopBench.Options options, JsonNode wallet, String load, Optional<FaultySigner> faulty) {
    Map<String, String> orchestratorEnv = env("orchestrator");
    Map<String, String> infraEnv = env("infra");
    String jvm =
        jvmOptionsByService(
            Map.of(
                "orchestrator", jvmOptions("orchestrator"),
                "nodes", jvmOptions(layout.nodeIds().get(0)),
                "registry", jvmOptions("registry")));
    System.out.println("== conditions");
    System.out.printf(
        "date:        %s%n",
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .format(Instant.now().atZone(ZoneOffset.UTC)));
    System.out.printf("commit:      %s%n", commit());
    System.out.printf(
        "cluster:     %d nodes, vote threshold %s, default wallet %s of %d, etcd members %s,"
            + " block interval %s%n",
        layout.nodes(),
        orchestratorEnv.getOrDefault("MPCW_THRESHOLD", "?"),
        wallet.path("threshold").asText("?"),
        wallet.path("participants").size(),
        infraEnv.getOrDefault("MPCW_ETCD_MEMBERS", "1"),
        env("chain").getOrDefault("MPCW_CHAIN_BLOCK_INTERVAL", "2s"));
    System.out.printf("service JVM: %s%n", jvm);
    System.out.printf(
        "driver JVM:  %s%n",
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    System.out.printf(
        "machine:     %d cores, %s, load average %s (1/5/15 min) before%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        load);
    System.out.printf(
        "load:        open loop, %.2f payments/s for %d s (%d payments of %d sats), until %s%n",
        options.rate(), options.seconds(), options.count(), options.amountSats(), options.until());
    System.out.printf(
        "signers:     %s%n",
        faulty
            .map(
                f ->
                    f.node()
                        + " restarted before the run as "
                        + f.mode()
                        + (f.mode().equals("slow-signer") ? " (delay " + slowDelay() + ")" : "")
                        + ", honest again after it")
            .orElse("all as started"));
  }

  private static String slowDelay() {
    String delay = System.getenv("MPCW_NODE_SLOW_SIGNER_DELAY");
    return delay == null || delay.isBlank() ? "2s, the default" : delay;
  }

  private Map<String, String> env(String process) {
    return Processes.running(layout, process)
        .map(h -> ProcFs.environment(h.pid()))
        .orElse(Map.of());
  }

  private String commit() {
    try {
      Process git =
          new ProcessBuilder(
                  "git", "-C", layout.repo().toString(), "describe", "--always", "--dirty")
              .redirectErrorStream(true)
              .start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : "unknown";
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
