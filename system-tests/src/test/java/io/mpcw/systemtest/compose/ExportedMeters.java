package io.mpcw.systemtest.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus series the code exports, read from the Micrometer meters registered in the main
 * sources of every module: {@code a.b} becomes {@code a_b}, counters end in {@code _total}, timers
 * in {@code _seconds} with {@code _count}, {@code _sum}, {@code _max} and, only when the meter
 * publishes a histogram, {@code _bucket}.
 */
final class ExportedMeters {
  private static final Pattern BUILDER =
      Pattern.compile(
          "\\b(Counter|Timer|Gauge|DistributionSummary|FunctionCounter|FunctionTimer|TimeGauge)"
              + "\\.builder\\(\\s*\"([^\"]+)\"");
  private static final Pattern SHORTHAND =
      Pattern.compile("\\.(counter|timer|summary|gauge)\\(\\s*\"([^\"]+)\"");

  private ExportedMeters() {}

  /** The series of every meter in {@code <root>/<module>/src/main/java}. */
  static Set<String> scan(Path root) {
    Set<String> series = new TreeSet<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module :
          modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).toList()) {
        try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
          for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
            series.addAll(seriesOf(Repo.read(file)));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return series;
  }

  /** The series the meters registered in {@code source} export. */
  static Set<String> seriesOf(String source) {
    Set<String> series = new TreeSet<>();
    Matcher b = BUILDER.matcher(source);
    while (b.find()) {
      int register = source.indexOf(".register(", b.end());
      String chain = source.substring(b.end(), register < 0 ? source.length() : register);
      boolean histogram =
          chain.contains("publishPercentileHistogram") || chain.contains("serviceLevelObjectives");
      series.addAll(series(b.group(1), b.group(2), histogram));
    }
    Matcher s = SHORTHAND.matcher(source);
    while (s.find()) {
      String type =
          switch (s.group(1)) {
            case "counter" -> "Counter";
            case "timer" -> "Timer";
            case "summary" -> "DistributionSummary";
            default -> "Gauge";
          };
      series.addAll(series(type, s.group(2), false));
    }
    return series;
  }

  static List<String> series(String type, String meterName, boolean histogram) {
    String base = meterName.replace('.', '_').replace('-', '_');
    return switch (type) {
      case "Counter", "FunctionCounter" -> List.of(strip(base, "_total") + "_total");
      case "Timer", "FunctionTimer" ->
          withStatistics(base.endsWith("_seconds") ? base : base + "_seconds", histogram);
      case "DistributionSummary" -> withStatistics(base, histogram);
      case "TimeGauge" -> List.of(base.endsWith("_seconds") ? base : base + "_seconds");
      default -> List.of(base);
    };
  }

  private static List<String> withStatistics(String base, boolean histogram) {
    return histogram
        ? List.of(base + "_count", base + "_sum", base + "_max", base + "_bucket")
        : List.of(base + "_count", base + "_sum", base + "_max");
  }

  private static String strip(String name, String suffix) {
    return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
  }
}
