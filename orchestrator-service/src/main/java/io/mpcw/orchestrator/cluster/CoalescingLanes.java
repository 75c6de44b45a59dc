package io.mpcw.orchestrator.cluster;

import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.frame.proto.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Sends one kind of request to the nodes, one exchange in flight per node: a request that comes
 * while the node's exchange is in flight waits, and whatever waited goes in the next exchange as
 * one batch message ({@link Wire}). So a request to an idle node leaves at once, alone, in the
 * single-request type; batches form only when requests arrive faster than a node answers, and grow
 * with the load, sharing the QUIC exchange and the node's per-message work instead of paying it per
 * request. A slow or silent node holds only its own lane.
 *
 * <p>Each request keeps its own deadline: one still waiting when it passes fails with {@code
 * TIMEOUT} and is not sent. A batch that fails whole (transport, or an error reply) fails each of
 * its requests with that failure, as if each had been sent alone; an answer refused for one item
 * fails that request only.
 *
 * @param <Q> a request
 * @param <A> its answer
 */
public final class CoalescingLanes<Q, A> {

  /**
   * A waiting request with less than this left is failed instead of sent: a batch travels with its
   * oldest request's deadline, and one nearly spent would make the node refuse the whole batch as
   * too late (it keeps a margin for the reply), fresh requests included.
   */
  public static final Duration LEAST_BUDGET = Duration.ofMillis(250);

  /** How one kind of request travels, alone and batched. */
  public interface Wire<Q, A> {

    /** What a request is called in failure messages ("vote request"). */
    String noun();

    /** The transport type of a request sent alone. */
    String singleType();

    byte[] encode(Q request);

    /**
     * A lone request's reply.
     *
     * @throws IllegalArgumentException when it does not decode
     */
    A decode(byte[] reply);

    /** The transport type of a batch. */
    String batchType();

    /** The most requests in one batch. */
    int maxBatch();

    /** What may appear once per batch (the node refuses a batch naming it twice). */
    Object batchKey(Q request);

    byte[] encodeBatch(List<Q> requests);

    /**
     * A batch reply's answers, one per request in the order {@code asked}; the lanes check their
     * number and that each names its request ({@link #answerKey}).
     *
     * @throws IllegalArgumentException when it does not decode, or does not answer what was asked
     */
    List<Answer<A>> decodeBatch(List<Q> asked, byte[] reply);

    /** What an answer in a batch reply names its request by. */
    default Object answerKey(Q request) {
      return batchKey(request);
    }

    /** Counted against {@link #maxBatchBytes}: the request's encoded size. */
    default long bytes(Q request) {
      return 0;
    }

    /**
     * The most request bytes in one batch, so that a batch stays within the transport's frame; a
     * request larger than this alone still goes, alone.
     */
    default long maxBatchBytes() {
      return Long.MAX_VALUE;
    }
  }

  /**
   * One item of a batch reply: the answer or the failure of the request it names by {@code key}.
   * Null for an item that is missing.
   */
  public record Answer<A>(Object key, A value, Throwable failure) {
    public static <A> Answer<A> answered(Object key, A value) {
      return new Answer<>(key, value, null);
    }

    public static <A> Answer<A> failed(Object key, Throwable failure) {
      return new Answer<>(key, null, failure);
    }
  }

  /** One request waiting for, or travelling in, an exchange. */
  private record Pending<Q, A>(
      Q request, long deadlineNanos, CompletableFuture<A> answer, IntConsumer departed) {
    Duration remaining() {
      return Duration.ofNanos(deadlineNanos - System.nanoTime());
    }
  }

  /** One node's queue and whether its exchange is in flight. */
  private static final class Lane<Q, A> {
    private final LinkedList<Pending<Q, A>> waiting = new LinkedList<>();
    private boolean inFlight;
  }

  private final Wire<Q, A> wire;
  private final TransportClient transport;
  private final Executor replies;
  private final boolean coalesce;
  private final IntConsumer sent;
  private final Map<String, Lane<Q, A>> lanes = new ConcurrentHashMap<>();

  /**
   * @param replies where replies are decoded and the answers completed: never the QUIC event loop
   * @param coalesce false sends every request at once, alone (the behaviour before batching, kept
   *     for side-by-side measurements)
   * @param sent told the number of requests of each exchange sent
   */
  public CoalescingLanes(
      Wire<Q, A> wire,
      TransportClient transport,
      Executor replies,
      boolean coalesce,
      IntConsumer sent) {
    this.wire = wire;
    this.transport = transport;
    this.replies = replies;
    this.coalesce = coalesce;
    this.sent = sent;
  }

  /**
   * Asks the node at {@code endpoint}; completes with its answer, or exceptionally with a {@link
   * TransportException} (or an {@link IllegalArgumentException} for a reply that does not decode or
   * does not match), never later than {@code deadline} from now.
   */
  public CompletableFuture<A> ask(Endpoint endpoint, Q request, Duration deadline) {
    return ask(endpoint, request, deadline, size -> {});
  }

  /**
   * {@link #ask}, told when the request leaves for the node ({@code departed}, given the number of
   * requests of its exchange, run once just before the exchange is sent; never for a request that
   * fails while it waits): the time it waited behind the node's exchange in flight is the
   * orchestrator's, not the node's, and a node answers a batch once it has served all of it.
   */
  public CompletableFuture<A> ask(
      Endpoint endpoint, Q request, Duration deadline, IntConsumer departed) {
    Pending<Q, A> pending =
        new Pending<>(
            request, System.nanoTime() + deadline.toNanos(), new CompletableFuture<>(), departed);
    if (!coalesce) {
      send(endpoint, List.of(pending));
      return pending.answer();
    }
    Lane<Q, A> lane = lanes.computeIfAbsent(endpoint.identity(), id -> new Lane<>());
    boolean now;
    synchronized (lane) {
      now = !lane.inFlight;
      if (now) {
        lane.inFlight = true;
      } else {
        lane.waiting.add(pending);
      }
    }
    if (now) {
      exchange(endpoint, lane, List.of(pending));
    } else {
      // a request still waiting at its deadline fails then, not when the exchange ahead ends
      CompletableFuture.delayedExecutor(deadline.toNanos(), TimeUnit.NANOSECONDS, replies)
          .execute(
              () ->
                  pending
                      .answer()
                      .completeExceptionally(timeout("waited for the node past its deadline")));
    }
    return pending.answer();
  }

  /** Sends {@code batch} on the lane's one exchange; when it ends, sends what waited meanwhile. */
  private void exchange(Endpoint endpoint, Lane<Q, A> lane, List<Pending<Q, A>> batch) {
    send(endpoint, batch)
        .whenComplete(
            (done, failure) -> {
              List<Pending<Q, A>> next;
              List<Pending<Q, A>> stale = new ArrayList<>();
              synchronized (lane) {
                next = nextBatch(lane, stale);
                lane.inFlight = !next.isEmpty();
              }
              fail(stale, timeout("waited for the node until too little of its deadline was left"));
              if (!next.isEmpty()) {
                exchange(endpoint, lane, next);
              }
            });
  }

  /**
   * The requests of the next exchange: the oldest waiting ones still unanswered, in order while
   * they fit a batch's count and bytes, one per batch key (a request on a key already in the batch
   * waits for the one after). Those with less than {@link #LEAST_BUDGET} left go to {@code stale}
   * instead.
   */
  private List<Pending<Q, A>> nextBatch(Lane<Q, A> lane, List<Pending<Q, A>> stale) {
    List<Pending<Q, A>> batch = new ArrayList<>();
    Set<Object> keys = new HashSet<>();
    long bytes = 0;
    Iterator<Pending<Q, A>> it = lane.waiting.iterator();
    while (it.hasNext() && batch.size() < wire.maxBatch()) {
      Pending<Q, A> p = it.next();
      if (p.answer().isDone()) {
        it.remove();
      } else if (p.remaining().compareTo(LEAST_BUDGET) < 0) {
        it.remove();
        stale.add(p);
      } else if (!keys.contains(wire.batchKey(p.request()))) {
        long size = wire.bytes(p.request());
        if (!batch.isEmpty() && size > wire.maxBatchBytes() - bytes) {
          break; // it leads the next exchange, where it fits or goes alone
        }
        it.remove();
        keys.add(wire.batchKey(p.request()));
        batch.add(p);
        bytes += size;
      }
    }
    return batch;
  }

  /** One exchange; completes (never exceptionally) once every answer of the batch is completed. */
  private CompletableFuture<Void> send(Endpoint endpoint, List<Pending<Q, A>> batch) {
    Duration deadline =
        batch.stream().map(Pending::remaining).min(Duration::compareTo).orElseThrow();
    if (deadline.isNegative() || deadline.isZero()) {
      fail(batch, new TransportException(TransportException.Kind.TIMEOUT, "deadline passed"));
      return CompletableFuture.completedFuture(null);
    }
    sent.accept(batch.size());
    batch.forEach(p -> p.departed().accept(batch.size()));
    List<Q> requests = batch.stream().map(Pending::request).toList();
    CompletableFuture<Envelope> reply;
    try {
      if (batch.size() == 1) {
        reply =
            transport.request(endpoint, wire.singleType(), wire.encode(requests.get(0)), deadline);
      } else {
        reply = transport.request(endpoint, wire.batchType(), wire.encodeBatch(requests), deadline);
      }
    } catch (RuntimeException e) {
      // thrown instead of failing the future: the lane must still end this exchange, or every
      // later request to the node would wait behind it until its deadline
      fail(batch, e);
      return CompletableFuture.completedFuture(null);
    }
    return reply.handleAsync(
        (envelope, failure) -> {
          if (failure != null) {
            fail(batch, unwrap(failure));
          } else {
            try {
              answer(batch, requests, envelope);
            } catch (RuntimeException e) {
              fail(batch, e);
            }
          }
          return null;
        },
        replies);
  }

  private void answer(List<Pending<Q, A>> batch, List<Q> requests, Envelope envelope) {
    byte[] payload = envelope.getPayload().toByteArray();
    if (batch.size() == 1) {
      batch.get(0).answer().complete(wire.decode(payload));
      return;
    }
    List<Answer<A>> answers = wire.decodeBatch(requests, payload);
    if (answers == null || answers.size() != batch.size()) {
      throw new IllegalArgumentException(
          "the node answered a batch of " + batch.size() + " with another number of answers");
    }
    for (int i = 0; i < batch.size(); i++) {
      Pending<Q, A> pending = batch.get(i);
      Answer<A> answer = answers.get(i);
      if (answer == null || !wire.answerKey(pending.request()).equals(answer.key())) {
        pending
            .answer()
            .completeExceptionally(
                new IllegalArgumentException(
                    "the node's batch answers are not in the order asked"));
      } else if (answer.failure() != null) {
        pending.answer().completeExceptionally(answer.failure());
      } else {
        pending.answer().complete(answer.value());
      }
    }
  }

  private TransportException timeout(String what) {
    return new TransportException(
        TransportException.Kind.TIMEOUT, "the " + wire.noun() + " " + what);
  }

  private static void fail(List<? extends Pending<?, ?>> batch, Throwable failure) {
    batch.forEach(p -> p.answer().completeExceptionally(failure));
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
