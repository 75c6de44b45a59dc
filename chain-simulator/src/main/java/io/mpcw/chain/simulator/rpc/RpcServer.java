package io.mpcw.chain.simulator.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mpcw.chain.simulator.ledger.Ledger;
import io.mpcw.chain.simulator.metrics.ChainMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: JSON-RPC on {@code /} and {@code /wallet/<name>} behind Basic authentication,
 * {@code GET /health} and {@code GET /metrics} open, like a service's management endpoints.
 */
public final class RpcServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

  /** A transaction is at most 4 MB, 8 MB as hex; anything much bigger is not a request. */
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private static final int THREADS = 8;

  private final HttpServer server;
  private final ExecutorService executor;
  private final JsonRpcDispatcher dispatcher;
  private final PrometheusMeterRegistry registry;
  private RpcAuthenticator authenticator;

  private RpcServer(
      HttpServer server,
      ExecutorService executor,
      JsonRpcDispatcher dispatcher,
      PrometheusMeterRegistry registry) {
    this.server = server;
    this.executor = executor;
    this.dispatcher = dispatcher;
    this.registry = registry;
  }

  /**
   * Binds {@code bind:port} (port 0 for any free one) and starts serving {@code ledger}.
   *
   * @param credentials user and password; empty serves the RPC without authentication
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static RpcServer start(
      Ledger ledger, String bind, int port, Optional<Map.Entry<String, String>> credentials) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ChainMetrics metrics = new ChainMetrics(registry, ledger);
    Map<String, RpcMethod> methods = new HashMap<>();
    methods.putAll(new BlockchainMethods(ledger).methods());
    methods.putAll(new MempoolMethods(ledger, metrics).methods());
    methods.putAll(new FaucetMethods(ledger, metrics).methods());
    JsonRpcDispatcher dispatcher = new JsonRpcDispatcher(methods, metrics);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bind, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + bind + ":" + port, e);
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "chain-rpc-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    RpcServer rpc = new RpcServer(server, executor, dispatcher, registry);
    server.createContext("/", rpc::handleRpc);
    // checked in the handler (not a context authenticator) so that a refusal has a problem body
    rpc.authenticator =
        credentials.map(c -> new RpcAuthenticator(c.getKey(), c.getValue())).orElse(null);
    server.createContext("/health", rpc::handleHealth);
    server.createContext("/metrics", rpc::handleMetrics);
    server.setExecutor(executor);
    server.start();
    return rpc;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    registry.close();
  }

  private void handleRpc(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (authenticator != null && !authenticator.accepts(exchange)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"jsonrpc\"");
        problem(exchange, 401, "Authentication required", "Send the RPC user and password.");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (!path.equals("/") && !path.startsWith("/wallet/")) {
        problem(exchange, 404, "Not Found", "Nothing is served at this path.");
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        problem(exchange, 405, "Method Not Allowed", "JSONRPC server handles only POST requests.");
        return;
      }
      byte[] body = readBody(exchange.getRequestBody());
      if (body == null) {
        problem(exchange, 413, "Payload Too Large", "The request body is too large.");
        return;
      }
      JsonRpcDispatcher.Response response = dispatcher.dispatch(body);
      send(exchange, response.status(), "application/json", toBytes(response.json()));
    } catch (RuntimeException e) {
      log.error("RPC request failed", e);
    }
  }

  private void handleHealth(HttpExchange exchange) throws IOException {
    try (exchange) {
      send(
          exchange,
          200,
          "application/json",
          "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8));
    }
  }

  private void handleMetrics(HttpExchange exchange) throws IOException {
    try (exchange) {
      send(
          exchange,
          200,
          "text/plain; version=0.0.4; charset=utf-8",
          registry.scrape().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** RFC 9457 problem JSON for what is not a JSON-RPC call at all (wrong path, method, size). */
  private static void problem(HttpExchange exchange, int status, String title, String detail)
      throws IOException {
    var json = RpcJson.MAPPER.createObjectNode();
    json.put("type", "about:blank");
    json.put("title", title);
    json.put("status", status);
    json.put("detail", detail);
    send(exchange, status, "application/problem+json", toBytes(json));
  }

  /** The body, or null when it is larger than any request can legitimately be. */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    return body.length > MAX_BODY_BYTES ? null : body;
  }

  private static byte[] toBytes(JsonNode json) {
    try {
      return RpcJson.MAPPER.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a JSON-RPC answer", e);
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
