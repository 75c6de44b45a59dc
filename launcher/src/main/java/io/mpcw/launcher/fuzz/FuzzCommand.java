package io.mpcw.launcher.fuzz;

import io.mpcw.hostile.FuzzRun;
import io.mpcw.launcher.cluster.Credentials;
import io.mpcw.launcher.cluster.ExitCode;
import io.mpcw.launcher.cluster.Layout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./mpcw fuzz --requests N [--quic Q] [--seed S]}: hostile requests, spread over every HTTP
 * surface of the running cluster ({@link RestFuzz}), then Q hostile QUIC requests to the nodes as
 * the orchestrator ({@link QuicFuzz}; default min(N, 3000), 0 skips it); only to 127.0.0.1 and
 * bounded in count and time. Prints the answers by status per surface and every finding; exits 1 on
 * any finding.
 */
public final class FuzzCommand {
  private static final long MAX_MINUTES = 30;

  /**
   * Series a node may add under hostile QUIC input: the fixed refusal labels seen for the first
   * time. Growth with the input (a series per hostile type, as before the labels were bounded) is
   * thousands.
   */
  static final int MAX_SERIES_GROWTH = 100;

  private FuzzCommand() {}

  public static int run(Layout layout, int requests, int quicRequests, long seed) {
    Credentials credentials = Credentials.loadOrCreate(layout, new boolean[1]);
    List<RestFuzz.Surface> surfaces = RestFuzz.surfaces(layout, credentials);
    System.out.printf(
        "fuzz: %d requests over %d HTTP surfaces, seed %d (replay: ./mpcw fuzz --requests %d"
            + " --seed %d)%n",
        requests, surfaces.size(), seed, requests, seed);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(MAX_MINUTES);
    Random random = new Random(seed);
    List<FuzzRun.Report> reports = new ArrayList<>();
    int each = requests / surfaces.size();
    for (int i = 0; i < surfaces.size(); i++) {
      RestFuzz.Surface surface = surfaces.get(i);
      int count = i == 0 ? each + requests % surfaces.size() : each;
      reports.add(surface.run().run(count, new Random(random.nextLong()), deadline));
    }
    int findings = 0;
    for (FuzzRun.Report report : reports) {
      System.out.printf(
          "%-24s %6d sent  %s  findings %d%n",
          report.surface(), report.sent(), report.byStatus(), report.findings().size());
      findings += report.findings().size();
    }
    for (FuzzRun.Report report : reports) {
      report.findings().stream()
          .limit(50)
          .forEach(f -> System.out.println("  " + report.surface() + ": " + f));
    }
    if (quicRequests > 0) {
      try {
        findings += quic(QuicFuzz.forLayout(layout, random.nextLong()).run(quicRequests));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCode.FAILED;
      }
    }
    System.out.println(findings == 0 ? "fuzz: no findings" : "fuzz: " + findings + " finding(s)");
    return findings == 0 ? 0 : 1;
  }

  /** Prints the QUIC run and returns its findings: accepted, leaking, not serving, growing. */
  static int quic(QuicFuzzReport report) {
    System.out.print(report.render());
    int findings = report.accepted() + report.leaks() + (report.stillServing() ? 0 : 1);
    for (QuicFuzzReport.NodeReading node : report.nodes()) {
      if (node.before().isPresent() && node.after().isPresent()) {
        int growth = node.after().get().metricSeries() - node.before().get().metricSeries();
        if (growth > MAX_SERIES_GROWTH) {
          System.out.printf(
              "  %s: metric series grew by %d under hostile input%n", node.nodeId(), growth);
          findings++;
        }
      }
    }
    return findings;
  }
}
