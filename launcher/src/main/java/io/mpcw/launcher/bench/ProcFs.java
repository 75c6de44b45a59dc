package io.mpcw.launcher.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the bench reads of a process from Linux's {@code /proc}: CPU ticks, environment, command.
 */
final class ProcFs {
  /** Clock ticks per second of {@code /proc/<pid>/stat}; USER_HZ is 100 on every Linux ABI. */
  static final long TICKS_PER_SECOND = 100;

  private ProcFs() {}

  /**
   * CPU ticks of {@code pid}: utime + stime of its own threads plus cutime + cstime of children it
   * has reaped (so a PostgreSQL backend that exits during a window is still counted once, by its
   * postmaster). Empty when the process is gone.
   */
  static Optional<Long> cpuTicks(long pid) {
    try {
      return Optional.of(cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * CPU ticks (utime + stime) of {@code pid}'s JIT compiler threads now alive ({@code C1
   * CompilerThre…}, {@code C2 CompilerThre…}); 0 for a process that is not a JVM. The JVM may stop
   * an idle compiler thread, whose ticks then leave this sum: a window's difference is a lower
   * bound.
   */
  static long jitTicks(long pid) {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          if (isJitThread(Files.readString(task.resolve("comm")).trim())) {
            ticks += threadTicks(Files.readString(task.resolve("stat")));
          }
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      return ticks;
    }
    return ticks;
  }

  /** Whether a thread name (as {@code comm} truncates it) is one of HotSpot's JIT compilers. */
  static boolean isJitThread(String comm) {
    return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
  }

  /** utime + stime of one thread's {@code stat} line (its children's fields do not apply). */
  static long threadTicks(String statLine) {
    String[] fields = statLine.substring(statLine.lastIndexOf(')') + 1).trim().split("\\s+");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /**
   * The ticks of one {@code /proc/<pid>/stat} line. The command name (field 2) is in parentheses
   * and may itself hold spaces and parentheses, so fields are counted from the last ')'.
   */
  static long cpuTicks(String statLine) {
    int close = statLine.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line");
    }
    // after ')': field 3 (state) is index 0, so utime (14) … cstime (17) are indexes 11 … 14
    String[] fields = statLine.substring(close + 1).trim().split("\\s+");
    long ticks = 0;
    for (int i = 11; i <= 14; i++) {
      ticks += Long.parseLong(fields[i]);
    }
    return ticks;
  }

  /** The process's environment as it was started (empty when it cannot be read). */
  static Map<String, String> environment(long pid) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String entry : nulSeparated(pid, "environ")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env;
  }

  /** The process's command line, one element per argument. */
  static List<String> commandLine(long pid) {
    return nulSeparated(pid, "cmdline");
  }

  /** The options given to a {@code java} command line before {@code -jar} or the main class. */
  static List<String> jvmOptions(List<String> command) {
    int end = 1;
    while (end < command.size()
        && command.get(end).startsWith("-")
        && !command.get(end).equals("-jar")
        && !command.get(end).equals("-cp")) {
      end++;
    }
    return command.subList(Math.min(1, command.size()), end);
  }

  /** The 1-, 5- and 15-minute load averages as {@code /proc/loadavg} shows them. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " / " + parts[1] + " / " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static List<String> nulSeparated(long pid, String file) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), file));
      String text = new String(raw, StandardCharsets.UTF_8);
      return List.of(text.split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }
}
