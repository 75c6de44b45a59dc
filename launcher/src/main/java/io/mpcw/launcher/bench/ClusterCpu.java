package io.mpcw.launcher.bench;

import io.mpcw.launcher.cluster.Layout;
import io.mpcw.launcher.cluster.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * CPU time of every process of a local cluster, grouped by what it is: each service by its pid file
 * name ({@code orchestrator}, {@code node-3}, {@code chain} …), and the infrastructure process's
 * children by command ({@code etcd}), PostgreSQL (the postmaster and its backends) as {@code
 * postgres}. A snapshot is taken before and after a load; the difference, minus what the same
 * processes burn when idle, is what the load cost.
 */
final class ClusterCpu {
  /**
   * Ticks per group at one instant ({@link System#nanoTime()}), and of them the JIT compiler
   * threads' ticks.
   */
  record Snapshot(long nanoTime, Map<String, Long> ticks, Map<String, Long> jitTicks) {
    Snapshot(long nanoTime, Map<String, Long> ticks) {
      this(nanoTime, ticks, Map.of());
    }
  }

  /**
   * One group's CPU over a window.
   *
   * @param idlePerSecond CPU seconds per second the group used in the idle baseline
   * @param window CPU seconds in the measured window
   * @param load {@code window} minus the idle rate over the window's length (never below 0)
   * @param jit CPU seconds of the group's JIT compiler threads in the window (part of {@code
   *     window}): a JVM still compiling its hot code is not warm yet
   */
  record Usage(String group, double idlePerSecond, double window, double load, double jit) {}

  private final Layout layout;

  ClusterCpu(Layout layout) {
    this.layout = layout;
  }

  Snapshot snapshot() {
    Map<String, Long> ticks = new TreeMap<>(ClusterCpu::order);
    Map<String, Long> jit = new TreeMap<>(ClusterCpu::order);
    for (String name : Processes.known(layout)) {
      Processes.running(layout, name)
          .ifPresent(
              root -> {
                add(ticks, name, root.pid());
                jit.merge(name, ProcFs.jitTicks(root.pid()), Long::sum);
                root.descendants().forEach(d -> add(ticks, commandName(d), d.pid()));
              });
    }
    // pg_ctl daemonizes the postmaster: it is no descendant of the infrastructure process
    postmaster()
        .filter(pm -> !ticks.containsKey("postgres"))
        .ifPresent(
            pm -> {
              add(ticks, "postgres", pm.pid());
              pm.descendants().forEach(d -> add(ticks, "postgres", d.pid()));
            });
    return new Snapshot(System.nanoTime(), ticks, jit);
  }

  /** The postmaster of the cluster's embedded PostgreSQL, from its {@code postmaster.pid}. */
  private Optional<ProcessHandle> postmaster() {
    Path pidFile = layout.data().resolve("postgres").resolve("postmaster.pid");
    try {
      String first = Files.readAllLines(pidFile).get(0).trim();
      return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void add(Map<String, Long> ticks, String group, long pid) {
    ProcFs.cpuTicks(pid).ifPresent(t -> ticks.merge(group, t, Long::sum));
  }

  private static String commandName(ProcessHandle handle) {
    String command = handle.info().command().orElse("other");
    String base = command.substring(command.lastIndexOf('/') + 1);
    return base.startsWith("postgres") ? "postgres" : base;
  }

  /**
   * Each group's usage in {@code from → to}, with the idle rate measured in {@code idleFrom →
   * idleTo} subtracted. A group missing from a snapshot (it stopped or started) counts from 0.
   */
  static List<Usage> usage(Snapshot idleFrom, Snapshot idleTo, Snapshot from, Snapshot to) {
    double idleSeconds = (idleTo.nanoTime() - idleFrom.nanoTime()) / 1e9;
    double windowSeconds = (to.nanoTime() - from.nanoTime()) / 1e9;
    Map<String, Usage> out = new LinkedHashMap<>();
    for (String group : to.ticks().keySet()) {
      double idle = seconds(idleTo, group) - seconds(idleFrom, group);
      double idleRate = idleSeconds > 0 ? Math.max(0, idle) / idleSeconds : 0;
      double window = seconds(to, group) - seconds(from, group);
      double jit =
          (to.jitTicks().getOrDefault(group, 0L) - from.jitTicks().getOrDefault(group, 0L))
              / (double) ProcFs.TICKS_PER_SECOND;
      out.put(
          group,
          new Usage(
              group,
              idleRate,
              window,
              Math.max(0, window - idleRate * windowSeconds),
              Math.max(0, jit)));
    }
    return List.copyOf(out.values());
  }

  private static double seconds(Snapshot s, String group) {
    return s.ticks().getOrDefault(group, 0L) / (double) ProcFs.TICKS_PER_SECOND;
  }

  /** Orchestrator first, then the nodes in number order, then the rest by name. */
  static int order(String a, String b) {
    return Integer.compare(rank(a), rank(b)) != 0
        ? Integer.compare(rank(a), rank(b))
        : a.compareTo(b);
  }

  private static int rank(String group) {
    if (group.equals("orchestrator")) {
      return 0;
    }
    if (group.startsWith("node-")) {
      try {
        return 1 + Integer.parseInt(group.substring(5));
      } catch (NumberFormatException e) {
        return 100;
      }
    }
    return 100;
  }
}
