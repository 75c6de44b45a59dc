package io.mpcw.orchestrator.signing;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.signing.SignPooledShareResponse;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntConsumer;
import org.springframework.stereotype.Component;

/** One signing request to several signers at once, each answer checked, each failure classified. */
@Component
class SignerRequests {
  private static final Set<String> PAYMENT_REFUSALS =
      Set.of(
          ProtocolErrors.NOT_APPROVED,
          ProtocolErrors.PAYMENT_MISMATCH,
          ProtocolErrors.FEE_TOO_HIGH,
          ProtocolErrors.CONFLICTING_TRANSACTION);

  private final TransportClient transport;
  private final ShareExchanges shares;
  private final NodeLatencies latencies;
  private final SigningProperties properties;

  SignerRequests(
      TransportClient transport,
      ShareExchanges shares,
      NodeLatencies latencies,
      SigningProperties properties) {
    this.transport = transport;
    this.shares = shares;
    this.latencies = latencies;
    this.properties = properties;
  }

  /**
   * Sends one request to one signer without waiting: completes with the decoded reply, or
   * exceptionally (a {@link TransportException}, or {@link IllegalArgumentException} for a reply
   * that does not decode).
   */
  <R> CompletableFuture<R> send(
      String node, Endpoint endpoint, String type, byte[] payload, Class<R> replyType) {
    long sent = System.nanoTime();
    return observed(
            node, sent, transport.request(endpoint, type, payload, properties.requestDeadline()))
        .thenApply(reply -> ProtocolMessages.decode(reply.getPayload().toByteArray(), replyType));
  }

  /**
   * Asks one signer for round 2 of a session without waiting, through the node's one exchange in
   * flight ({@link ShareExchanges}): completes as {@link #send} does; {@code departed} is told when
   * the request leaves, with the number of requests its exchange carried. The latency taken
   * includes the time the request waited for the exchange ahead: it is what a payment waits for the
   * node, and what scores the node for the next payments.
   */
  CompletableFuture<SignPooledShareResponse> roundTwo(
      String node, Endpoint endpoint, ShareExchanges.Encoded request, IntConsumer departed) {
    long sent = System.nanoTime();
    return observed(
        node, sent, shares.ask(endpoint, request, properties.requestDeadline(), departed));
  }

  /**
   * {@code call}, whose round trip since {@code sent} is the node's signing latency once answered.
   */
  private <T> CompletableFuture<T> observed(String node, long sent, CompletableFuture<T> call) {
    return call.thenApply(
        reply -> {
          latencies.observeSigning(node, System.nanoTime() - sent);
          return reply;
        });
  }

  /** How a failed signing request counts against its signer. */
  enum Failure {
    /** The node's own checks refused the payment: every honest node would. */
    PAYMENT_REFUSAL,
    /** The node says the coordinator's package is wrong: with its own commitments, a lie. */
    CHEATING,
    /** A node that answered but cannot sign now (restarted, busy, etcd slow): not its fault. */
    BENIGN,
    /** No answer, or one that does not decode. */
    SILENT;

    static Failure of(Throwable failure) {
      Throwable cause = unwrap(failure);
      if (cause instanceof TransportException te && te.remoteCode().isPresent()) {
        String code = te.remoteCode().get();
        if (PAYMENT_REFUSALS.contains(code)) {
          return PAYMENT_REFUSAL;
        }
        return ProtocolErrors.BAD_SIGNING_PACKAGE.equals(code) ? CHEATING : BENIGN;
      }
      return SILENT;
    }
  }

  /** The node's error code, else what kind of failure it was. */
  static String describe(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof TransportException te && te.remoteCode().isPresent()) {
      return te.remoteCode().get() + " " + te.getMessage();
    }
    if (cause instanceof IllegalArgumentException) {
      return "malformed reply";
    }
    return cause.getClass().getSimpleName();
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * A node that had not answered round 2 after {@code waited}, when a sibling session won: a lower
   * bound of its round trip, taken as a latency sample.
   */
  void unanswered(String node, Duration waited) {
    latencies.observeSigning(node, waited.toNanos());
  }

  /** Sends one request to every signer in parallel; fills the round with what went wrong. */
  <R, T> Map<String, T> ask(
      Map<String, Endpoint> endpoints,
      String type,
      byte[] payload,
      Class<R> replyType,
      SigningRound round,
      Checker<R, T> check) {
    Map<String, T> results = new LinkedHashMap<>();
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    endpoints.forEach(
        (node, endpoint) -> {
          long sent = System.nanoTime();
          calls.add(
              transport
                  .request(endpoint, type, payload, properties.requestDeadline())
                  .handle(
                      (reply, failure) -> {
                        if (failure != null) {
                          classify(node, failure, round);
                          return null;
                        }
                        latencies.observeSigning(node, System.nanoTime() - sent);
                        R decoded;
                        try {
                          decoded =
                              ProtocolMessages.decode(reply.getPayload().toByteArray(), replyType);
                        } catch (IllegalArgumentException e) {
                          round.culprit(node, "malformed reply");
                          return null;
                        }
                        check.check(node, decoded).ifPresent(v -> put(results, node, v));
                        return null;
                      }));
        });
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    return results;
  }

  private static <T> void put(Map<String, T> results, String node, T value) {
    synchronized (results) {
      results.put(node, value);
    }
  }

  private static void classify(String node, Throwable failure, SigningRound round) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof TransportException te && te.remoteCode().isPresent()) {
      String code = te.remoteCode().get();
      if (PAYMENT_REFUSALS.contains(code)) {
        round.refused(node, code + " " + te.getMessage());
      } else {
        // unknown, used or aborted session (node restarted), busy, etcd slow: another set can sign
        round.unreachable(node, code);
      }
      return;
    }
    round.unreachable(node, cause.getClass().getSimpleName());
  }

  @FunctionalInterface
  interface Checker<R, T> {
    Optional<T> check(String node, R reply);
  }
}
