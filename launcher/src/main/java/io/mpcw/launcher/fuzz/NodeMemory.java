package io.mpcw.launcher.fuzz;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * What a node's {@code /actuator/prometheus} page says about its size: the number of series, and
 * its heap and direct buffer memory in use.
 *
 * @param metricSeries sample lines on the page (one per series), not counting histogram buckets: a
 *     histogram's buckets are a fixed number per label set, and what must not grow with hostile
 *     input is the number of label sets
 * @param heapBytes sum of {@code jvm_memory_used_bytes{area="heap"}}
 * @param directBytes {@code jvm_buffer_memory_used_bytes{id="direct"}} (the JDK's direct buffers;
 *     Netty's pooled buffers outside the JDK's count are not in it)
 * @param pageBytes size of the page itself
 */
record NodeMemory(int metricSeries, long heapBytes, long directBytes, int pageBytes) {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  /** The reading of the page at {@code url}; empty when it does not answer. */
  static Optional<NodeMemory> read(String url) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(parse(response.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  static NodeMemory parse(String page) {
    int series = 0;
    double heap = 0;
    double direct = 0;
    for (String line : page.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (!line.contains("_bucket{")) {
        series++;
      }
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        heap += value(line);
      } else if (line.startsWith("jvm_buffer_memory_used_bytes{")
          && line.contains("id=\"direct\"")) {
        direct += value(line);
      }
    }
    return new NodeMemory(series, (long) heap, (long) direct, page.length());
  }

  private static double value(String line) {
    String[] parts = line.trim().split(" ");
    try {
      return parts.length >= 2 ? Double.parseDouble(parts[parts.length - 1]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
