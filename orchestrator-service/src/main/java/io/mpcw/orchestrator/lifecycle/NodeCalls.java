package io.mpcw.orchestrator.lifecycle;

import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.frame.proto.Envelope;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/** Sends one lifecycle step to several nodes at once and collects replies and failures. */
@Component
class NodeCalls {
  private final TransportClient transport;

  NodeCalls(TransportClient transport) {
    this.transport = transport;
  }

  /** What came back from every node: a reply, or why there is none. */
  record Round<T>(Map<String, T> replies, Map<String, String> failures) {
    boolean complete() {
      return failures.isEmpty();
    }

    String why() {
      StringBuilder out = new StringBuilder();
      failures.forEach(
          (node, why) ->
              out.append(out.length() == 0 ? "" : "; ").append(node).append(": ").append(why));
      return out.toString();
    }
  }

  <T> Round<T> ask(
      Map<String, Endpoint> endpoints,
      String type,
      Function<String, Object> request,
      Class<T> replyType,
      Duration deadline) {
    Map<String, CompletableFuture<Envelope>> calls = new LinkedHashMap<>();
    endpoints.forEach(
        (node, endpoint) ->
            calls.put(
                node,
                transport.request(
                    endpoint, type, ProtocolMessages.encode(request.apply(node)), deadline)));
    CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new))
        .exceptionally(failure -> null)
        .join();
    Map<String, T> replies = new LinkedHashMap<>();
    Map<String, String> failures = new LinkedHashMap<>();
    calls.forEach(
        (node, call) -> {
          try {
            replies.put(
                node, ProtocolMessages.decode(call.join().getPayload().toByteArray(), replyType));
          } catch (CompletionException e) {
            failures.put(node, describe(e.getCause()));
          } catch (IllegalArgumentException e) {
            failures.put(node, "malformed reply");
          }
        });
    return new Round<>(replies, failures);
  }

  private static String describe(Throwable cause) {
    if (cause instanceof TransportException te && te.remoteCode().isPresent()) {
      return te.remoteCode().get() + " " + te.getMessage();
    }
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : " " + cause.getMessage());
  }
}
