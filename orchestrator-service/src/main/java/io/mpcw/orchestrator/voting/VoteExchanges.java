package io.mpcw.orchestrator.voting;

import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.votes.VoteBatchRequest;
import io.mpcw.votes.VoteBatchResponse;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Sends vote requests to the nodes, one exchange in flight per node: a request that comes while the
 * node's exchange is in flight waits, and whatever waited goes in the next exchange as one {@code
 * vote.batch.v1} (up to {@link VoteBatchRequest#MAX_VOTES} payments, which the node records in one
 * etcd transaction). So a vote on an idle node leaves at once, alone, as {@code vote.request.v1};
 * batches form only when requests arrive faster than a node answers, and grow with the load: the
 * QUIC exchange, the node's etcd round trip and etcd's Raft entry and fsync are then shared by the
 * batch instead of paid per vote.
 *
 * <p>Each request keeps its own deadline: one still waiting when it passes fails with {@code
 * TIMEOUT} and is not sent. A batch that fails whole (transport, or an error reply such as {@code
 * ETCD_UNAVAILABLE}) fails each of its requests with that failure, as if each had been sent alone;
 * an answer refused for one payment ({@code VOTING_CLOSED}) fails that request only. Public for the
 * vote bench, which measures the path through it.
 */
public final class VoteExchanges {

  /** One request waiting for, or travelling in, an exchange. */
  private record Pending(
      VoteRequest request, long deadlineNanos, CompletableFuture<VoteResponse> answer) {
    Duration remaining() {
      return Duration.ofNanos(deadlineNanos - System.nanoTime());
    }
  }

  /** One node's queue and whether its exchange is in flight. */
  private static final class Lane {
    private final LinkedList<Pending> waiting = new LinkedList<>();
    private boolean inFlight;
  }

  /**
   * A waiting request with less than this left is failed instead of sent: a batch travels with its
   * oldest request's deadline, and one nearly spent would make the node refuse the whole batch as
   * too late to vote (it keeps a margin for the reply), fresh requests included.
   */
  static final Duration LEAST_BUDGET = Duration.ofMillis(250);

  private final TransportClient transport;
  private final Executor replies;
  private final boolean coalesce;
  private final IntConsumer sent;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

  /**
   * @param replies where replies are decoded and the answers completed: never the QUIC event loop
   * @param coalesce false sends every request at once, alone (the behaviour before batching, kept
   *     for side-by-side measurements)
   * @param sent told the number of votes of each exchange sent
   */
  public VoteExchanges(
      TransportClient transport, Executor replies, boolean coalesce, IntConsumer sent) {
    this.transport = transport;
    this.replies = replies;
    this.coalesce = coalesce;
    this.sent = sent;
  }

  /**
   * Asks the node at {@code endpoint} for its vote; completes with its answer, or exceptionally
   * with a {@link TransportException}, never later than {@code deadline} from now.
   */
  public CompletableFuture<VoteResponse> ask(
      Endpoint endpoint, VoteRequest request, Duration deadline) {
    Pending pending =
        new Pending(request, System.nanoTime() + deadline.toNanos(), new CompletableFuture<>());
    if (!coalesce) {
      send(endpoint, List.of(pending));
      return pending.answer();
    }
    Lane lane = lanes.computeIfAbsent(endpoint.identity(), id -> new Lane());
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
                      .completeExceptionally(
                          new TransportException(
                              TransportException.Kind.TIMEOUT,
                              "the vote request waited for the node past its deadline")));
    }
    return pending.answer();
  }

  /** Sends {@code batch} on the lane's one exchange; when it ends, sends what waited meanwhile. */
  private void exchange(Endpoint endpoint, Lane lane, List<Pending> batch) {
    send(endpoint, batch)
        .whenComplete(
            (done, failure) -> {
              List<Pending> next;
              List<Pending> stale = new ArrayList<>();
              synchronized (lane) {
                next = nextBatch(lane, stale);
                lane.inFlight = !next.isEmpty();
              }
              fail(
                  stale,
                  new TransportException(
                      TransportException.Kind.TIMEOUT,
                      "the vote request waited for the node until too little of its deadline was"
                          + " left"));
              if (!next.isEmpty()) {
                exchange(endpoint, lane, next);
              }
            });
  }

  /**
   * The requests of the next exchange: the oldest waiting ones still unanswered, one per payment (a
   * request on a payment already in the batch waits for the one after), at most a batch's worth.
   * Those with less than {@link #LEAST_BUDGET} left go to {@code stale} instead.
   */
  private static List<Pending> nextBatch(Lane lane, List<Pending> stale) {
    List<Pending> batch = new ArrayList<>();
    Set<UUID> payments = new HashSet<>();
    Iterator<Pending> it = lane.waiting.iterator();
    while (it.hasNext() && batch.size() < VoteBatchRequest.MAX_VOTES) {
      Pending p = it.next();
      if (p.answer().isDone()) {
        it.remove();
      } else if (p.remaining().compareTo(LEAST_BUDGET) < 0) {
        it.remove();
        stale.add(p);
      } else if (payments.add(p.request().txId())) {
        it.remove();
        batch.add(p);
      }
    }
    return batch;
  }

  /** One exchange; completes (never exceptionally) once every answer of the batch is completed. */
  private CompletableFuture<Void> send(Endpoint endpoint, List<Pending> batch) {
    Duration deadline =
        batch.stream().map(Pending::remaining).min(Duration::compareTo).orElseThrow();
    if (deadline.isNegative() || deadline.isZero()) {
      fail(batch, new TransportException(TransportException.Kind.TIMEOUT, "deadline passed"));
      return CompletableFuture.completedFuture(null);
    }
    sent.accept(batch.size());
    CompletableFuture<Envelope> reply;
    try {
      if (batch.size() == 1) {
        reply =
            transport.request(
                endpoint, VoteRequest.TYPE, VoteMessages.encode(batch.get(0).request()), deadline);
      } else {
        VoteBatchRequest request =
            new VoteBatchRequest(batch.stream().map(Pending::request).toList());
        reply =
            transport.request(
                endpoint, VoteBatchRequest.TYPE, VoteMessages.encode(request), deadline);
      }
    } catch (RuntimeException e) {
      // thrown instead of failing the future: the lane must still end this exchange, or every
      // later vote to the node would wait behind it until its deadline
      fail(batch, e);
      return CompletableFuture.completedFuture(null);
    }
    return reply.handleAsync(
        (envelope, failure) -> {
          if (failure != null) {
            fail(batch, unwrap(failure));
          } else {
            try {
              answer(batch, envelope);
            } catch (RuntimeException e) {
              fail(batch, e);
            }
          }
          return null;
        },
        replies);
  }

  private static void answer(List<Pending> batch, Envelope envelope) {
    byte[] payload = envelope.getPayload().toByteArray();
    if (batch.size() == 1) {
      batch.get(0).answer().complete(VoteMessages.decode(payload, VoteResponse.class));
      return;
    }
    List<VoteBatchResponse.Answer> answers =
        VoteMessages.decode(payload, VoteBatchResponse.class).answers();
    if (answers == null || answers.size() != batch.size()) {
      throw new IllegalArgumentException(
          "the node answered a batch of " + batch.size() + " with another number of answers");
    }
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      VoteBatchResponse.Answer answer = answers.get(i);
      if (answer == null || !pending.request().txId().equals(answer.txId())) {
        pending.answer().completeExceptionally(misordered());
      } else if (answer.vote() != null) {
        pending.answer().complete(answer.vote());
      } else {
        pending
            .answer()
            .completeExceptionally(
                new TransportException(
                    TransportException.Kind.REMOTE_ERROR, answer.error() + " " + answer.detail()));
      }
    }
  }

  private static IllegalArgumentException misordered() {
    return new IllegalArgumentException("the node's batch answers are not in the order asked");
  }

  private static void fail(List<Pending> batch, Throwable failure) {
    batch.forEach(p -> p.answer().completeExceptionally(failure));
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
