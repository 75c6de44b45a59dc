package io.mpcw.transport;

import static io.mpcw.transport.TransportAssertions.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.proto.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The request/response contract every transport must keep. Subclasses supply the transport, so a
 * failure here that shows on one transport only is a transport bug, not a protocol bug.
 */
public abstract class TransportProtocolSuite {

  protected static final Duration DEADLINE = Duration.ofSeconds(5);
  protected final MeterRegistry serverRegistry = new SimpleMeterRegistry();
  protected final MeterRegistry clientRegistry = new SimpleMeterRegistry();
  private final List<AutoCloseable> opened = new ArrayList<>();

  /**
   * A server proving {@code identity} that admits the identities {@code orchestrator}, {@code
   * node-*}.
   */
  protected abstract TransportServer newServer(String identity, MeterRegistry registry);

  /** A client proving {@code identity}. */
  protected abstract TransportClient newClient(String identity, MeterRegistry registry);

  protected <T extends AutoCloseable> T track(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private Endpoint echoServer() {
    return track(newServer("node-1", serverRegistry))
        .start(
            (peer, request) ->
                CompletableFuture.completedFuture(
                    Envelopes.reply(request, request.getType() + ".reply", request.getPayload())));
  }

  @Test
  void repliesWithTheHandlersPayload() throws Exception {
    Endpoint server = echoServer();
    TransportClient client = track(newClient("orchestrator", clientRegistry));

    Envelope reply =
        client.request(server, "ping", bytes("hello"), DEADLINE).get(10, TimeUnit.SECONDS);

    assertThat(reply.getType()).isEqualTo("ping.reply");
    assertThat(reply.getPayload().toStringUtf8()).isEqualTo("hello");
    assertThat(reply.hasError()).isFalse();
  }

  @Test
  void handlerSeesTheAuthenticatedPeerAndTheRequestType() throws Exception {
    Endpoint server =
        track(newServer("node-1", serverRegistry))
            .start(
                (peer, request) ->
                    CompletableFuture.completedFuture(
                        Envelopes.reply(
                            request, "who", bytes(peer.name() + "/" + request.getType()))));
    TransportClient client = track(newClient("orchestrator", clientRegistry));

    Envelope reply =
        client.request(server, "whoami", new byte[0], DEADLINE).get(10, TimeUnit.SECONDS);

    assertThat(reply.getPayload().toStringUtf8()).isEqualTo("orchestrator/whoami");
  }

  @Test
  void servesTwoHundredConcurrentRequests() throws Exception {
    Endpoint server = echoServer();
    TransportClient client = track(newClient("orchestrator", clientRegistry));

    List<CompletableFuture<Envelope>> replies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      replies.add(client.request(server, "n", bytes(Integer.toString(i)), DEADLINE));
    }

    CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    for (int i = 0; i < 200; i++) {
      assertThat(replies.get(i).join().getPayload().toStringUtf8()).isEqualTo(Integer.toString(i));
    }
    assertThat(
            clientRegistry.get("transport_requests_total").tag("outcome", "ok").counter().count())
        .isEqualTo(200);
  }

  @Test
  void failsWithTimeoutWhenTheHandlerOutlivesTheDeadline() throws Exception {
    Endpoint server =
        track(newServer("node-1", serverRegistry))
            .start((peer, request) -> new CompletableFuture<>());
    TransportClient client = track(newClient("orchestrator", clientRegistry));
    warmUp(client, server);

    long started = System.nanoTime();
    CompletableFuture<Envelope> reply =
        client.request(server, "slow", new byte[0], Duration.ofMillis(300));

    assertKind(reply, TransportException.Kind.TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void handlerExceptionBecomesRemoteErrorAndTheServerKeepsServing() throws Exception {
    Endpoint server =
        track(newServer("node-1", serverRegistry))
            .start(
                (peer, request) -> {
                  if (request.getType().equals("boom")) {
                    throw new IllegalStateException("secret detail");
                  }
                  return CompletableFuture.completedFuture(
                      Envelopes.reply(request, "ok", new byte[0]));
                });
    TransportClient client = track(newClient("orchestrator", clientRegistry));

    CompletableFuture<Envelope> failed = client.request(server, "boom", new byte[0], DEADLINE);

    TransportException error = assertKind(failed, TransportException.Kind.REMOTE_ERROR);
    assertThat(error.remoteCode()).contains("INTERNAL");
    assertThat(error.getMessage()).doesNotContain("secret detail");
    assertThat(
            client
                .request(server, "fine", new byte[0], DEADLINE)
                .get(10, TimeUnit.SECONDS)
                .getType())
        .isEqualTo("ok");
  }

  @Test
  void errorReplyFromTheHandlerReachesTheClientWithItsCode() {
    Endpoint server =
        track(newServer("node-1", serverRegistry))
            .start(
                (peer, request) ->
                    CompletableFuture.completedFuture(
                        Envelopes.error(request, "UNKNOWN_SESSION", "no session 7")));
    TransportClient client = track(newClient("orchestrator", clientRegistry));

    TransportException error =
        assertKind(
            client.request(server, "sign", new byte[0], DEADLINE),
            TransportException.Kind.REMOTE_ERROR);

    assertThat(error.remoteCode()).contains("UNKNOWN_SESSION");
    assertThat(error.getMessage()).contains("no session 7");
  }

  @Test
  void carriesALargeButAllowedPayload() throws Exception {
    Endpoint server = echoServer();
    TransportClient client = track(newClient("orchestrator", clientRegistry));
    byte[] payload = new byte[900 * 1024];
    Arrays.fill(payload, (byte) 7);

    Envelope reply = client.request(server, "bulk", payload, DEADLINE).get(10, TimeUnit.SECONDS);

    assertThat(reply.getPayload().toByteArray()).isEqualTo(payload);
  }

  @Test
  void refusesToSendARequestOverTheFrameLimit() {
    Endpoint server = echoServer();
    TransportClient client = track(newClient("orchestrator", clientRegistry));

    assertKind(
        client.request(server, "bulk", new byte[1024 * 1024 + 1], DEADLINE),
        TransportException.Kind.FRAME_TOO_LARGE);
  }

  protected static void warmUp(TransportClient client, Endpoint server) {
    // the first request also pays for the handshake; keep it out of deadline measurements
    client
        .request(server, "warm-up", new byte[0], Duration.ofMillis(50))
        .handle((r, e) -> r)
        .join();
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
