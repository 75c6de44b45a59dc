package io.mpcw.launcher.fuzz;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a QUIC fuzz run saw, and each node's size before and after it.
 *
 * @param sent requests written (including unfinished streams)
 * @param refusedByCode error replies by their error code
 * @param accepted replies that were not errors (should be 0: no payload is valid)
 * @param unanswered streams that ended without a reply, or timed out
 * @param leaks replies that repeated input or named internals
 * @param stillServing every node answered the read-only probe after the run
 */
record QuicFuzzReport(
    int sent,
    Map<String, Integer> refusedByCode,
    int accepted,
    int unanswered,
    int leaks,
    boolean stillServing,
    List<NodeReading> nodes,
    Duration took) {

  /** A node's size before and after the run; empty readings mean it did not answer. */
  record NodeReading(String nodeId, Optional<NodeMemory> before, Optional<NodeMemory> after) {}

  String render() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "QUIC fuzz: %d sent in %.1f s, %d refused, %d accepted, %d unanswered, %d leaking"
                + " replies, nodes still serving: %s%n",
            sent,
            took.toMillis() / 1000.0,
            refusedByCode.values().stream().mapToInt(Integer::intValue).sum(),
            accepted,
            unanswered,
            leaks,
            stillServing ? "yes" : "NO"));
    refusedByCode.forEach((code, n) -> out.append(String.format("  %-24s %d%n", code, n)));
    out.append(
        String.format("  %-8s %16s %16s %18s%n", "node", "series", "heap MiB", "direct MiB"));
    for (NodeReading node : nodes) {
      out.append(
          String.format(
              "  %-8s %16s %16s %18s%n",
              node.nodeId(),
              change(node, m -> (double) m.metricSeries(), "%.0f"),
              change(node, m -> m.heapBytes() / 1048576.0, "%.1f"),
              change(node, m -> m.directBytes() / 1048576.0, "%.1f")));
    }
    return out.toString();
  }

  private static String change(
      NodeReading node, java.util.function.Function<NodeMemory, Double> value, String format) {
    String before = node.before().map(m -> String.format(format, value.apply(m))).orElse("?");
    String after = node.after().map(m -> String.format(format, value.apply(m))).orElse("?");
    return before + " → " + after;
  }
}
