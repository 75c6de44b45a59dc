package io.mpcw.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.launcher.cluster.PaymentHistory;
import io.mpcw.launcher.cluster.SigningSessionsRead;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What an open-loop bench prints after its run: offered against achieved, answers by kind, latency
 * percentiles (from each POST's send), failures by reason, signing sessions and CPU per payment.
 */
final class OpenLoopReport {
  private OpenLoopReport() {}

  static void print(
      OpenLoopBench.Options options,
      Optional<String> faultyNode,
      List<OpenLoopSender.Sent> sent,
      long unanswered,
      Map<String, OpenLoopSender.Sent> accepted,
      Map<String, JsonNode> details,
      Map<String, String> drainStates,
      Instant firstSend,
      List<ClusterCpu.Usage> cpu,
      double benchCpu,
      String loadBefore,
      String loadAfter) {
    System.out.println("== offered and achieved");
    long late = sent.stream().filter(s -> s.lateNanos() > OpenLoopSender.LATE.toNanos()).count();
    double maxLateMs =
        sent.stream().mapToLong(OpenLoopSender.Sent::lateNanos).max().orElse(0) / 1e6;
    System.out.printf(
        "offered:     %.2f/s, %d sends; %d left more than %d ms late (latest %.1f ms)%n",
        options.rate(), sent.size(), late, OpenLoopSender.LATE.toMillis(), maxLateMs);
    List<OpenLoopSender.Answer> answers =
        sent.stream().flatMap(s -> s.answerNow().stream()).toList();
    List<OpenLoopSender.Answer> throttled =
        answers.stream().filter(a -> a.status() == 429).toList();
    Map<String, Long> retryAfter =
        throttled.stream()
            .collect(
                Collectors.groupingBy(
                    a -> a.retryAfter().orElse("(none)"), TreeMap::new, Collectors.counting()));
    Map<String, Long> errors =
        answers.stream()
            .filter(a -> !a.accepted() && a.status() != 429)
            .collect(
                Collectors.groupingBy(
                    OpenLoopSender.Answer::reason, TreeMap::new, Collectors.counting()));
    System.out.printf(
        "accepted:    %d (%.2f/s over the send window)%n",
        accepted.size(), accepted.size() / (double) options.seconds());
    System.out.printf(
        "429:         %d%s%n",
        throttled.size(), throttled.isEmpty() ? "" : ", Retry-After " + retryAfter);
    System.out.printf(
        "errors:      %d %s%n",
        errors.values().stream().mapToLong(Long::longValue).sum(), errors.isEmpty() ? "" : errors);
    if (unanswered > 0) {
      System.out.printf(
          "unanswered:  %d (no answer within %d s)%n",
          unanswered, OpenLoopBench.REQUEST_TIMEOUT.toSeconds() + 5);
    }
    List<Double> post =
        answers.stream().map(a -> a.nanos() / 1e9).collect(Collectors.toCollection(ArrayList::new));
    System.out.printf("POST answer: %s%n", percentiles(post));

    List<SigningSessionsRead.Count> sessions = new ArrayList<>();
    int faultyAsked = 0;
    int faultyFinal = 0;
    List<Double> toSigned = new ArrayList<>();
    List<Double> toConfirmed = new ArrayList<>();
    Instant lastTarget = firstSend;
    int reached = 0;
    Map<String, List<Double>> inState = new LinkedHashMap<>();
    PaymentHistory.STAGES.forEach(s -> inState.put(s, new ArrayList<>()));
    Map<String, Long> failures = new TreeMap<>();
    for (Map.Entry<String, OpenLoopSender.Sent> e : accepted.entrySet()) {
      JsonNode tx = details.get(e.getKey());
      Instant sentAt = e.getValue().sentAt();
      if (tx == null) {
        failures.merge("unreadable at the end", 1L, Long::sum);
        continue;
      }
      Optional<Instant> signed = firstEntry(tx, "signed");
      Optional<Instant> confirmed = firstEntry(tx, "confirmed");
      signed.ifPresent(at -> toSigned.add(seconds(sentAt, at)));
      if (signed.isPresent()) {
        SigningSessionsRead.of(tx).ifPresent(sessions::add);
        if (faultyNode.isPresent() && askedToSign(tx, faultyNode.get())) {
          faultyAsked++;
          faultyFinal += contains(tx.path("signing").path("signers"), faultyNode.get()) ? 1 : 0;
        }
      }
      confirmed.ifPresent(at -> toConfirmed.add(seconds(sentAt, at)));
      Optional<Instant> target = options.until().equals("signed") ? signed : confirmed;
      if (target.isPresent()) {
        reached++;
        lastTarget = target.get().isAfter(lastTarget) ? target.get() : lastTarget;
      }
      String state = tx.path("state").asText();
      if (target.isEmpty()) {
        failures.merge(
            PaymentHistory.isFinalState(state)
                ? state + ": " + reasonPattern(tx.path("state_reason").asText(""))
                : "still " + drainStates.getOrDefault(e.getKey(), state) + " when the wait ended",
            1L,
            Long::sum);
      }
      PaymentHistory.secondsPerState(tx.path("history"))
          .forEach((s, secs) -> Optional.ofNullable(inState.get(s)).ifPresent(l -> l.add(secs)));
    }
    System.out.printf(
        "reached %s: %d of %d accepted, %.2f/s (first send to last %s)%n",
        options.until(),
        reached,
        accepted.size(),
        reached / Math.max(0.001, seconds(firstSend, lastTarget)),
        options.until());
    System.out.println("== latency (from each POST's send)");
    System.out.printf("POST→signed:    %s%n", percentiles(toSigned));
    System.out.printf(
        "POST→confirmed: %s%s%n",
        percentiles(toConfirmed),
        options.until().equals("signed") ? "  (only those confirmed before the wait ended)" : "");
    inState.forEach(
        (stage, values) -> System.out.printf("  in %-13s %s%n", stage, percentiles(values)));
    System.out.printf(
        "signing sessions per signed payment: %s%n", SigningSessionsRead.summary(sessions));
    if (faultyNode.isPresent()) {
      System.out.printf(
          "faulty signer %s: asked to sign %d of %d signed payments, a final signer of %d%n",
          faultyNode.get(), faultyAsked, sessions.size(), faultyFinal);
    }
    System.out.println(
        "== failures (accepted payments that did not reach " + options.until() + ")");
    if (failures.isEmpty()) {
      System.out.println("none");
    }
    failures.forEach((why, n) -> System.out.printf("%5d  %s%n", n, why));

    System.out.printf(
        "== CPU seconds per payment (utime+stime from /proc, minus the idle rate; ÷ %d payments"
            + " that reached %s)%n",
        reached, options.until());
    System.out.printf(
        "%-14s %12s %12s %12s %14s %14s%n",
        "process", "idle cpu/s", "window cpu s", "load cpu s", "ms per payment", "of which JIT");
    double total = 0;
    double totalWindow = 0;
    double totalIdle = 0;
    double totalJit = 0;
    for (ClusterCpu.Usage u : cpu) {
      total += u.load();
      totalWindow += u.window();
      totalIdle += u.idlePerSecond();
      totalJit += u.jit();
      printCpu(u.group(), u.idlePerSecond(), u.window(), u.load(), u.jit(), reached);
    }
    printCpu("cluster total", totalIdle, totalWindow, total, totalJit, reached);
    if (reached > 0) {
      System.out.printf(
          "whole window: %.1f ms per payment (every process's CPU over the run, nothing"
              + " subtracted)%n",
          1000 * totalWindow / reached);
    }
    if (totalIdle > BUSY_BASELINE) {
      // seen after a saturating run: PostgreSQL's background work made the baseline 0.17 CPU-s/s
      // and the load column 16 % lower than what the run cost
      System.out.printf(
          "note: the cluster used %.2f CPU-s/s before the load (background work of an earlier"
              + " run?); the load column subtracts that rate, so compare runs by the whole-window"
              + " figure%n",
          totalIdle);
    }
    if (reached > 0) {
      System.out.printf(
          "JIT compilation: %.1f ms per payment (%.0f %% of the load); a cluster that is still"
              + " compiling is not warm: repeat the run until this is small%n",
          1000 * totalJit / reached, total > 0 ? 100 * totalJit / total : 0);
    }
    System.out.printf(
        "%-14s %12s %12.2f %12s %14s   (the load driver itself, not in the total)%n",
        "bench driver", "", benchCpu, "", "");
    System.out.printf("load average after: %s (before: %s)%n", loadAfter, loadBefore);
  }

  /** An idle baseline above this (CPU-s/s, all processes) was not idle. */
  static final double BUSY_BASELINE = 0.15;

  private static void printCpu(
      String name, double idle, double window, double load, double jit, int payments) {
    System.out.printf(
        "%-14s %12.3f %12.2f %12.2f %14s %14s%n",
        name,
        idle,
        window,
        load,
        payments == 0 ? "-" : String.format("%.1f", 1000 * load / payments),
        payments == 0 || jit == 0 ? "-" : String.format("%.1f", 1000 * jit / payments));
  }

  /** Whether {@code node} was among the signers of any of the payment's signing attempts. */
  static boolean askedToSign(JsonNode tx, String node) {
    JsonNode signing = tx.path("signing");
    for (JsonNode attempt : signing.path("attempts_detail")) {
      if (contains(attempt.path("signers"), node)) {
        return true;
      }
    }
    return contains(signing.path("signers"), node);
  }

  private static boolean contains(JsonNode list, String value) {
    for (JsonNode v : list) {
      if (v.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<Instant> firstEntry(JsonNode tx, String state) {
    for (JsonNode h : tx.path("history")) {
      if (h.path("to").asText().equals(state)) {
        return Optional.of(Instant.parse(h.path("at").asText()));
      }
    }
    return Optional.empty();
  }

  /** A reason with its ids and numbers blanked, so that like failures group together. */
  static String reasonPattern(String reason) {
    return reason
        .replaceAll("[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}", "<id>")
        .replaceAll("\\b[0-9a-f]{16,}\\b", "<hex>")
        .replaceAll("\\d+(\\.\\d+)?", "N");
  }

  static String percentiles(List<Double> values) {
    if (values.isEmpty()) {
      return "n=0";
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return String.format(
        "p50 %.3f s  p95 %.3f s  p99 %.3f s  max %.3f s  (n=%d)",
        percentile(sorted, 50),
        percentile(sorted, 95),
        percentile(sorted, 99),
        sorted.get(sorted.size() - 1),
        sorted.size());
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(List<Double> sorted, double p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }
}
