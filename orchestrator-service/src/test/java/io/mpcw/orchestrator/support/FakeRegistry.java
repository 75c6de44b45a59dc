package io.mpcw.orchestrator.support;

import com.sun.net.httpserver.HttpServer;
import io.mpcw.transport.pki.SignedRequestVerifier;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Stands in for the registry service (a collaborator of the orchestrator) on loopback. */
public final class FakeRegistry implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, String> quicAddresses = new ConcurrentHashMap<>();
  private final Map<String, Double> cpuLoads = new ConcurrentHashMap<>();
  private volatile int registeredNodes = 5;
  private volatile int activeNodes = 5;
  private volatile boolean up = true;
  private volatile boolean listsOrchestrator;
  private final java.util.concurrent.atomic.AtomicInteger listRequests =
      new java.util.concurrent.atomic.AtomicInteger();

  public FakeRegistry() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/api/v1/cluster/nodes",
        exchange -> {
          if (!signedByClusterIdentity(exchange)) {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
          }
          if (!up) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
          }
          listRequests.incrementAndGet();
          byte[] body = nodesJson().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  /** The real registry answers only signed calls; so does this stand-in. */
  private static boolean signedByClusterIdentity(com.sun.net.httpserver.HttpExchange exchange) {
    String target =
        exchange.getRequestURI().getRawPath()
            + (exchange.getRequestURI().getRawQuery() == null
                ? ""
                : "?" + exchange.getRequestURI().getRawQuery());
    return new SignedRequestVerifier(
            TestCluster.shared().pki().caCertificate(), Clock.systemUTC(), Duration.ofSeconds(60))
        .verify(
            exchange.getRequestMethod(),
            target,
            new byte[0],
            exchange.getRequestHeaders()::getFirst)
        .caller()
        .filter(caller -> caller.name().equals("orchestrator"))
        .isPresent();
  }

  /** Node lists served since start. */
  public int listRequests() {
    return listRequests.get();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void reset() {
    registeredNodes = 5;
    activeNodes = 5;
    up = true;
    quicAddresses.clear();
    cpuLoads.clear();
    listsOrchestrator = false;
  }

  /**
   * Lists the orchestrator's own identity as an active node too, as a registry that accepted its
   * registration (or a compromised one) would.
   */
  public void listsOrchestratorAsNode(boolean listed) {
    this.listsOrchestrator = listed;
  }

  /** The CPU load (percent) node {@code i} (1-based) reports; 12.5 unless set. */
  public void cpuLoad(int node, double percent) {
    cpuLoads.put("node-" + node, percent);
  }

  /** The registry lists node-1 … node-{count} (5 unless set; the PKI holds 7). */
  public void registeredNodes(int count) {
    this.registeredNodes = count;
  }

  public void activeNodes(int count) {
    this.activeNodes = count;
  }

  public void up(boolean up) {
    this.up = up;
  }

  /** Where node {@code i} (1-based) listens for QUIC. */
  public void quicAddress(int node, String hostPort) {
    quicAddresses.put("node-" + node, hostPort);
  }

  private String nodesJson() {
    String nodes =
        IntStream.rangeClosed(1, registeredNodes)
            .mapToObj(
                i ->
                    "{\"node_id\":\"node-"
                        + i
                        + "\",\"quic_address\":\""
                        + quicAddresses.getOrDefault("node-" + i, "127.0.0.1:9")
                        + "\",\"status\":\""
                        + (i <= activeNodes ? "active" : "dead")
                        + "\",\"cpu_load\":"
                        + cpuLoads.getOrDefault("node-" + i, 12.5)
                        + "}")
            .collect(Collectors.joining(","));
    if (listsOrchestrator) {
      nodes +=
          ",{\"node_id\":\"orchestrator\",\"quic_address\":\"127.0.0.1:9\","
              + "\"status\":\"active\",\"cpu_load\":0.0}";
    }
    return "{\"nodes\":[" + nodes + "]}";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
