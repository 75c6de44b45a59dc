package io.mpcw.orchestrator.voting;

import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.config.VotingProperties;
import io.mpcw.orchestrator.signing.NodeLatencies;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import io.mpcw.votes.Decision;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the nodes of a voting round that have not answered yet, concurrently over QUIC, collects
 * their answers ({@link CollectedAnswers}), and completes once the answers settle the round (or
 * every request has ended), plus at most the straggler grace. Apart from {@link CollectVotesStage}
 * because this is the waiting half, which holds no pipeline worker; the stage counts from etcd
 * afterwards.
 */
final class VoteAsking {
  private static final Logger log = LoggerFactory.getLogger(VoteAsking.class);

  private final VoteMirror mirror;
  private final VoteExchanges exchanges;
  private final VotingProperties properties;
  private final VotingMetrics metrics;
  private final NodeLatencies latencies;

  // replies are decoded (and a straggler's mirrored) here rather than on the QUIC event loop: a
  // mirror row is a JDBC write, and an event loop must never wait on the database
  private final ExecutorService replies =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "vote-replies");
            t.setDaemon(true);
            return t;
          });

  VoteAsking(
      VoteMirror mirror,
      TransportClient transport,
      VotingProperties properties,
      VotingMetrics metrics,
      NodeLatencies latencies) {
    this.mirror = mirror;
    this.exchanges =
        new VoteExchanges(transport, replies, properties.coalesce(), metrics::exchangeSent);
    this.properties = properties;
    this.metrics = metrics;
    this.latencies = latencies;
  }

  /**
   * Sends the requests and returns what completes once the answers settle the round (or every
   * request has ended), plus at most the straggler grace for the nodes still asked.
   */
  CompletableFuture<Void> askMissing(
      VotingRound round,
      Map<String, NodeDirectory.KnownNode> nodes,
      VoteRequest request,
      CollectedAnswers answers) {
    CompletableFuture<Void> settled = new CompletableFuture<>();
    Runnable onAnswer =
        () -> {
          if (settles(round, answers)) {
            settled.complete(null);
          }
        };
    // who to ask is settled before the first request leaves: replies add to the answers after
    Map<String, VoteRecord> answered = answers.current();
    List<Endpoint> unanswered =
        round.nodes().stream()
            .filter(node -> !answered.containsKey(node))
            .map(node -> nodes.get(node))
            .filter(n -> n != null && n.endpoint().isPresent())
            .map(n -> n.endpoint().get())
            .toList();
    List<CompletableFuture<Void>> calls =
        unanswered.stream().map(e -> ask(e, request, answers, onAnswer)).toList();
    CompletableFuture<Void> all = CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    all.whenComplete((done, failure) -> settled.complete(null));
    if (settles(round, answers)) {
      settled.complete(null);
    }
    return settled.thenCompose(done -> afterGrace(all));
  }

  /** Whether the answers in already decide the round, whatever the nodes still asked say. */
  static boolean settles(VotingRound round, CollectedAnswers answers) {
    return settles(round, answers.current());
  }

  static boolean settles(VotingRound round, Map<String, VoteRecord> answers) {
    int approvals = 0;
    int rejections = 0;
    for (var vote : answers.values()) {
      if (!round.nodes().contains(vote.nodeId())) {
        continue;
      }
      if (vote.decision() == Decision.APPROVE) {
        approvals++;
      } else {
        rejections++;
      }
    }
    return approvals >= round.threshold() || rejections > round.nodes().size() - round.threshold();
  }

  void stop() {
    replies.shutdownNow();
  }

  /** Done when every request has ended, or after the straggler grace, whichever is first. */
  private CompletableFuture<Void> afterGrace(CompletableFuture<Void> all) {
    if (all.isDone()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> graced = all.handle((done, failure) -> null);
    CompletableFuture.delayedExecutor(
            properties.stragglerGrace().toMillis(), TimeUnit.MILLISECONDS, Runnable::run)
        .execute(
            () -> {
              if (graced.complete(null)) {
                metrics.decidedWithoutStragglers();
              }
            });
    return graced;
  }

  private CompletableFuture<Void> ask(
      Endpoint endpoint, VoteRequest request, CollectedAnswers answers, Runnable onAnswer) {
    long sent = System.nanoTime();
    // answers complete on the reply threads (decoded there, a straggler's mirrored there)
    return exchanges
        .ask(endpoint, request, properties.requestDeadline())
        .thenAccept(
            response -> {
              // every vote is a round trip to the node: it keeps the signer scores current
              latencies.observe(endpoint.identity(), System.nanoTime() - sent);
              metrics.received(response.vote().decision().wireName(), response.outcome());
              if (!response.vote().nodeId().equals(endpoint.identity())) {
                log.warn(
                    "{} answered with a vote of {}", endpoint.identity(), response.vote().nodeId());
                return;
              }
              if (!request.txId().equals(response.vote().txId())) {
                // another payment's vote: it settles nothing here and must not reach this
                // payment's mirror (etcd's records are what is counted either way)
                log.warn(
                    "{} answered the vote on {} with a vote on {}",
                    endpoint.identity(),
                    request.txId(),
                    response.vote().txId());
                return;
              }
              if (answers.add(response.vote())) {
                // the stage counted without it: a straggler's answer is mirrored on arrival
                mirror.answered(List.of(response.vote()));
              }
              onAnswer.run();
            })
        .exceptionally(
            failure -> {
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              String kind =
                  cause instanceof TransportException te
                      ? te.kind().name().toLowerCase()
                      : "bad_reply";
              metrics.requestFailed(kind);
              log.debug("no vote from {}: {}", endpoint.identity(), cause.toString());
              return null;
            });
  }
}
