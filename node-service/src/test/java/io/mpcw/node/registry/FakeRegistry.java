package io.mpcw.node.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.transport.pki.PemFiles;
import io.mpcw.transport.pki.SignedRequestVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the registry on 127.0.0.1 that follows its contract (201 register, 200/404
 * heartbeat, 204 deregister; 401 unless signed with mpcw-sig-v1 by a certificate of {@code ca}, 403
 * for a write about another node) and records every request.
 */
public final class FakeRegistry implements AutoCloseable {
  private static final Pattern HEARTBEAT =
      Pattern.compile("/api/v1/cluster/nodes/([a-z0-9-]+)/heartbeat");
  private static final Pattern NODE = Pattern.compile("/api/v1/cluster/nodes/([a-z0-9-]+)");

  /** One request as received. */
  public record Request(String method, String path, String body, String signer) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final SignedRequestVerifier verifier;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private final java.util.Map<String, String> certificates = new ConcurrentHashMap<>();
  private final java.util.Map<String, String> quicAddresses = new ConcurrentHashMap<>();
  private final java.util.Map<String, java.time.Instant> lastHeartbeats = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger listReads =
      new java.util.concurrent.atomic.AtomicInteger();

  private FakeRegistry(HttpServer server, X509Certificate ca) {
    this.server = server;
    this.verifier = new SignedRequestVerifier(ca, Clock.systemUTC(), Duration.ofSeconds(60));
  }

  /** A fake that admits only requests signed by a certificate {@code ca} issued. */
  public static FakeRegistry start(int port, X509Certificate ca) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      FakeRegistry fake = new FakeRegistry(server, ca);
      server.createContext("/api/v1/cluster/nodes", fake::handle);
      server.setExecutor(fake.executor);
      server.start();
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** How often the node list was read (membership refreshes). */
  public int listReads() {
    return listReads.get();
  }

  /** The writes (register, heartbeat, deregister) as received, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> requests(String method) {
    return requests.stream().filter(r -> r.method().equals(method)).toList();
  }

  /** Makes the registry lose the node, as after a registry database reset. */
  public void forget(String nodeId) {
    registered.remove(nodeId);
  }

  /** Lists {@code nodeId} with {@code certificate}, as if that node had registered itself. */
  public void register(String nodeId, X509Certificate certificate) {
    certificates.put(nodeId, PemFiles.toPem(certificate));
    registered.add(nodeId);
  }

  private String nodeJson(String nodeId) {
    StringBuilder json = new StringBuilder("{\"node_id\":\"" + nodeId + "\"");
    String address = quicAddresses.get(nodeId);
    if (address != null) {
      json.append(",\"quic_address\":\"").append(address).append("\",\"status\":\"active\"");
    }
    java.time.Instant beat = lastHeartbeats.get(nodeId);
    if (beat != null) {
      json.append(",\"last_heartbeat\":\"").append(beat).append("\"");
    }
    String pem = certificates.get(nodeId);
    if (pem != null) {
      json.append(",\"certificate\":\"").append(pem.replace("\n", "\\n")).append("\"");
    }
    return json.append("}").toString();
  }

  public boolean knows(String nodeId) {
    return registered.contains(nodeId);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    String rawQuery = exchange.getRequestURI().getRawQuery();
    String target =
        exchange.getRequestURI().getRawPath() + (rawQuery == null ? "" : "?" + rawQuery);
    java.util.Optional<PeerIdentity> caller =
        verifier
            .verify(
                method,
                target,
                body.getBytes(StandardCharsets.UTF_8),
                exchange.getRequestHeaders()::getFirst)
            .caller();
    String signer = caller.map(PeerIdentity::name).orElse("");
    if (method.equals("GET")) {
      listReads.incrementAndGet();
    } else {
      requests.add(new Request(method, path, body, signer));
    }
    if (signer.isEmpty()) {
      respond(exchange, 401);
      return;
    }
    Matcher heartbeat = HEARTBEAT.matcher(path);
    Matcher node = NODE.matcher(path);
    String about =
        heartbeat.matches()
            ? heartbeat.group(1)
            : node.matches()
                ? node.group(1)
                : body.replaceAll("(?s).*\"node_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    if (!method.equals("GET") && !about.equals(signer)) {
      respond(exchange, 403);
      return;
    }
    if (method.equals("GET") && path.equals("/api/v1/cluster/nodes")) {
      byte[] list =
          ("{\"nodes\":["
                  + registered.stream()
                      .sorted()
                      .map(this::nodeJson)
                      .collect(java.util.stream.Collectors.joining(","))
                  + "]}")
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, list.length);
      try (var out = exchange.getResponseBody()) {
        out.write(list);
      }
    } else if (method.equals("POST") && path.equals("/api/v1/cluster/nodes")) {
      String nodeId = body.replaceAll(".*\"node_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
      caller
          .flatMap(PeerIdentity::certificate)
          .ifPresent(cert -> certificates.put(nodeId, PemFiles.toPem(cert)));
      String address = body.replaceAll("(?s).*\"quic_address\"\\s*:\\s*\"([^\"]+)\".*", "$1");
      if (!address.equals(body)) {
        quicAddresses.put(nodeId, address);
      }
      lastHeartbeats.put(nodeId, java.time.Instant.now());
      respond(exchange, registered.add(nodeId) ? 201 : 200);
    } else if (method.equals("PUT") && heartbeat.matches()) {
      boolean known = registered.contains(heartbeat.group(1));
      if (known) {
        lastHeartbeats.put(heartbeat.group(1), java.time.Instant.now());
      }
      respond(exchange, known ? 200 : 404);
    } else if (method.equals("DELETE") && node.matches()) {
      registered.remove(node.group(1));
      respond(exchange, 204);
    } else {
      respond(exchange, 405);
    }
  }

  private static void respond(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
