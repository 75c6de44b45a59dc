package io.mpcw.launcher.chaos;

import io.mpcw.launcher.cluster.Health;
import io.mpcw.launcher.cluster.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Chaos scenarios that set one process's wall clock 30 s off, with the payments running: node-3 or
 * the second orchestrator replica is restarted under Debian's libfaketime (preloaded into its JVM),
 * so every wall-clock read of that process moves, as on a host whose clock is set wrong, and the
 * services are not changed for it. The skew is checked from the outside (the {@code Date} header of
 * the process's HTTP answers), and the promise is that payments keep confirming and the skewed
 * process keeps doing its share (node-3 keeps casting votes; replica 2 keeps moving payments).
 */
final class ClockSkewFaults {
  static final List<String> SCENARIOS =
      List.of(
          "clock-ahead-node",
          "clock-behind-node",
          "clock-ahead-orchestrator",
          "clock-behind-orchestrator");

  private static final Duration SKEW = Duration.ofSeconds(30);
  private static final Duration HOLD = Duration.ofSeconds(40);

  /** The Date header has whole seconds, and the request itself takes a moment. */
  private static final Duration TOLERANCE = Duration.ofSeconds(3);

  private static final List<Path> LIBFAKETIME =
      List.of(
          Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
          Path.of("/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"),
          Path.of("/usr/lib/faketime/libfaketime.so.1"));

  private ClockSkewFaults() {}

  static Fault of(String name, ChaosCluster cluster, PaymentLoad load) {
    return switch (name) {
      case "clock-ahead-node" -> new Skewed(cluster, load, "node-3", SKEW, NODE_VOTES);
      case "clock-behind-node" -> new Skewed(cluster, load, "node-3", SKEW.negated(), NODE_VOTES);
      case "clock-ahead-orchestrator" ->
          new Skewed(cluster, load, ChaosCluster.SECOND_ORCHESTRATOR, SKEW, TRANSITIONS);
      case "clock-behind-orchestrator" ->
          new Skewed(cluster, load, ChaosCluster.SECOND_ORCHESTRATOR, SKEW.negated(), TRANSITIONS);
      default -> throw new IllegalArgumentException("no clock scenario " + name);
    };
  }

  /** What shows the skewed process still does its share: a counter of its own metrics. */
  record Share(String metric, String what) {}

  private static final Share NODE_VOTES = new Share("node_votes_cast_total", "votes cast");
  private static final Share TRANSITIONS =
      new Share("orchestration_state_transitions_total", "payment state transitions made");

  /**
   * The environment that runs a JVM {@code skew} off. The monotonic clock is faked too (a constant
   * offset, harmless: the JVM only subtracts its readings): with {@code
   * FAKETIME_DONT_FAKE_MONOTONIC=1}, libfaketime 0.9.10's {@code pthread_cond_timedwait} returns at
   * once for the JVM's monotonic waits, so every timed park spins and a service took minutes to
   * start (the first attempt of this scenario).
   */
  static Map<String, String> skewedEnvironment(Path library, Duration skew) {
    return Map.of(
        "LD_PRELOAD",
        library.toString(),
        "FAKETIME",
        (skew.isNegative() ? "-" : "+") + skew.abs().toSeconds() + "s");
  }

  static Optional<Path> libfaketime() {
    return LIBFAKETIME.stream().filter(Files::isReadable).findFirst();
  }

  /** How far {@code dateHeader} (RFC 1123, whole seconds) is from {@code now}. */
  static Duration offset(String dateHeader, Instant now) {
    Instant their =
        ZonedDateTime.parse(dateHeader, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    return Duration.between(now, their);
  }

  /** One process restarted with its clock off for the window, then restarted with it right. */
  static final class Skewed implements Fault {
    private final ChaosCluster cluster;
    private final PaymentLoad load;
    private final String victim;
    private final Duration skew;
    private final Share share;
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    Skewed(ChaosCluster cluster, PaymentLoad load, String victim, Duration skew, Share share) {
      this.cluster = cluster;
      this.load = load;
      this.victim = victim;
      this.skew = skew;
      this.share = share;
    }

    private String promise() {
      return "payments keep confirming, and "
          + victim
          + " (clock "
          + (skew.isNegative() ? "" : "+")
          + skew.toSeconds()
          + " s) keeps doing its share ("
          + share.what()
          + " grow)";
    }

    @Override
    public void before() {
      Path library =
          libfaketime()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "libfaketime is not installed (apt-get install -y faketime)"));
      restart(skewedEnvironment(library, skew));
      Duration seen =
          Health.header(cluster.healthUrl(victim), null, "Date")
              .map(d -> offset(d, Instant.now()))
              .orElseThrow(() -> new IllegalStateException(victim + " sent no Date header"));
      notes.add(victim + "'s clock as its Date header shows it: " + seen.toSeconds() + " s off");
      if (seen.minus(skew).abs().compareTo(TOLERANCE) > 0) {
        violations.add(
            "the fault did not play out: "
                + victim
                + "'s clock is "
                + seen.toSeconds()
                + " s off, not "
                + skew.toSeconds());
      }
    }

    @Override
    public void during() {
      Processes.sleep(5_000);
      Instant from = Instant.now();
      double before = cluster.metric(victim, share.metric());
      Processes.sleep(HOLD.toMillis());
      double after = cluster.metric(victim, share.metric());
      Instant to = Instant.now();
      long through = load.submittedAndConfirmedBetween(from, to);
      long done = Math.round(after - before);
      notes.add(
          0,
          "fault: "
              + victim
              + " runs with its clock "
              + skew.toSeconds()
              + " s off ("
              + Duration.between(from, to).toSeconds()
              + " s measured)");
      notes.add(
          1,
          "confirmed during the fault: "
              + through
              + " payment(s) submitted and confirmed while skewed; "
              + victim
              + ": "
              + done
              + " "
              + share.what());
      if (through == 0 || done <= 0) {
        violations.add("promise broken: " + promise());
      }
      notes.add(2, "promise " + (violations.isEmpty() ? "kept" : "BROKEN") + ": " + promise());
    }

    @Override
    public void after() {
      restart(Map.of());
    }

    private void restart(Map<String, String> env) {
      cluster.restart(victim, env);
    }

    @Override
    public Duration window() {
      return HOLD.plusSeconds(5);
    }

    @Override
    public List<String> notes() {
      return notes;
    }

    @Override
    public List<String> violations() {
      return violations;
    }
  }
}
