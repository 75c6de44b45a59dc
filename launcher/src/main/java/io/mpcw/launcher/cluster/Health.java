package io.mpcw.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Asks a service's actuator whether it is up, and reads small documents from it. */
public final class Health {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private static final ObjectMapper JSON = new ObjectMapper();

  private Health() {}

  public static boolean isUp(String url) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"UP\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether {@code url} answers 200, whatever its body (e.g. Prometheus' {@code /-/ready}). */
  static boolean answers(String url) {
    return fetch(url, null).map(r -> r.statusCode() == 200).orElse(false);
  }

  /** The JSON document at {@code url}; empty unless it answers 200 with JSON. */
  public static Optional<JsonNode> json(String url) {
    return fetch(url, null).filter(r -> r.statusCode() == 200).flatMap(Health::parse);
  }

  /** The body at {@code url}; empty unless it answers 200. */
  public static Optional<String> text(String url) {
    return fetch(url, null).filter(r -> r.statusCode() == 200).map(HttpResponse::body);
  }

  /**
   * The sum of every sample of {@code metric} on the {@code /actuator/prometheus} next to {@code
   * healthUrl}; 0 when it does not answer or has none.
   */
  public static double metric(String healthUrl, String metric) {
    String url = healthUrl.replace("/actuator/health", "/actuator/prometheus");
    return text(url).stream()
        .flatMap(String::lines)
        .filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** A response header of a GET with a bearer key; empty when the service does not answer. */
  public static Optional<String> header(String url, String bearer, String header) {
    return fetch(url, bearer).flatMap(r -> r.headers().firstValue(header));
  }

  private static Optional<HttpResponse<String>> fetch(String url, String bearer) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET();
      if (bearer != null) {
        request.header("Authorization", "Bearer " + bearer);
      }
      return Optional.of(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static Optional<JsonNode> parse(HttpResponse<String> response) {
    try {
      return Optional.of(JSON.readTree(response.body()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
