package io.mpcw.orchestrator.voting;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.votes.Decision;
import io.mpcw.votes.VoteBatchRequest;
import io.mpcw.votes.VoteBatchResponse;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VoteExchangesTest {
  private static final Endpoint NODE = new Endpoint("127.0.0.1", 1, "node-1");
  private static final Endpoint OTHER = new Endpoint("127.0.0.1", 2, "node-2");
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  /** A transport whose replies the test gives, request by request. */
  private static final class ScriptedTransport implements TransportClient {
    record Sent(
        Endpoint endpoint,
        String type,
        byte[] payload,
        Duration deadline,
        CompletableFuture<Envelope> reply) {
      Envelope asRequest() {
        return Envelopes.request(type, 1, Instant.now(), deadline, payload);
      }

      List<VoteRequest> votes() {
        return type.equals(VoteRequest.TYPE)
            ? List.of(VoteMessages.decode(payload, VoteRequest.class))
            : VoteMessages.decode(payload, VoteBatchRequest.class).votes();
      }
    }

    final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Envelope> request(
        Endpoint endpoint, String type, byte[] payload, Duration deadline) {
      CompletableFuture<Envelope> reply = new CompletableFuture<>();
      sent.add(new Sent(endpoint, type, payload, deadline, reply));
      return reply;
    }

    @Override
    public void close() {}
  }

  private final ScriptedTransport transport = new ScriptedTransport();
  private final List<Integer> exchangeSizes = new CopyOnWriteArrayList<>();
  private final VoteExchanges exchanges =
      new VoteExchanges(transport, Runnable::run, true, exchangeSizes::add);

  @Test
  void aVoteToAnIdleNodeLeavesAtOnceAloneAsASingleRequest() {
    VoteRequest request = request();

    CompletableFuture<VoteResponse> answer = exchanges.ask(NODE, request, DEADLINE);

    assertThat(transport.sent).hasSize(1);
    ScriptedTransport.Sent sent = transport.sent.get(0);
    assertThat(sent.type()).isEqualTo(VoteRequest.TYPE);
    assertThat(sent.votes()).containsExactly(request);
    VoteResponse response = response(request);
    sent.reply().complete(reply(sent, response));
    assertThat(answer.join()).isEqualTo(response);
  }

  @Test
  void votesThatComeWhileTheNodesExchangeIsInFlightLeaveTogetherAsOneBatch() {
    VoteRequest first = request();
    CompletableFuture<VoteResponse> firstAnswer = exchanges.ask(NODE, first, DEADLINE);
    List<VoteRequest> waiting = IntStream.range(0, 3).mapToObj(i -> request()).toList();
    List<CompletableFuture<VoteResponse>> answers = new ArrayList<>();
    for (VoteRequest r : waiting) {
      answers.add(exchanges.ask(NODE, r, DEADLINE));
    }
    // another node's lane is its own
    exchanges.ask(OTHER, request(), DEADLINE);
    assertThat(transport.sent)
        .extracting(s -> s.endpoint().identity())
        .containsExactly("node-1", "node-2");

    ScriptedTransport.Sent single = transport.sent.get(0);
    single.reply().complete(reply(single, response(first)));

    assertThat(firstAnswer.join().vote().txId()).isEqualTo(first.txId());
    assertThat(transport.sent).hasSize(3);
    ScriptedTransport.Sent batch = transport.sent.get(2);
    assertThat(batch.type()).isEqualTo(VoteBatchRequest.TYPE);
    assertThat(batch.votes()).containsExactlyElementsOf(waiting);
    assertThat(answers).noneMatch(CompletableFuture::isDone);

    batch
        .reply()
        .complete(
            batchReply(
                batch,
                List.of(
                    VoteBatchResponse.Answer.voted(waiting.get(0).txId(), response(waiting.get(0))),
                    VoteBatchResponse.Answer.refused(
                        waiting.get(1).txId(), "VOTING_CLOSED", "the decision exists"),
                    VoteBatchResponse.Answer.voted(
                        waiting.get(2).txId(), response(waiting.get(2))))));

    assertThat(answers.get(0).join().vote().txId()).isEqualTo(waiting.get(0).txId());
    assertThat(failure(answers.get(1)))
        .isInstanceOfSatisfying(
            TransportException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TransportException.Kind.REMOTE_ERROR);
              assertThat(e.getMessage()).contains("VOTING_CLOSED");
            });
    assertThat(answers.get(2).join().vote().txId()).isEqualTo(waiting.get(2).txId());
    assertThat(exchangeSizes).containsExactly(1, 1, 3);
  }

  @Test
  void aBatchThatFailsWholeFailsEachOfItsVotesWithThatFailureAndTheLaneGoesOn() {
    exchanges.ask(NODE, request(), DEADLINE);
    CompletableFuture<VoteResponse> a = exchanges.ask(NODE, request(), DEADLINE);
    CompletableFuture<VoteResponse> b = exchanges.ask(NODE, request(), DEADLINE);
    ScriptedTransport.Sent single = transport.sent.get(0);
    single
        .reply()
        .completeExceptionally(
            new TransportException(TransportException.Kind.UNREACHABLE, "connection lost"));
    ScriptedTransport.Sent batch = transport.sent.get(1);
    CompletableFuture<VoteResponse> later = exchanges.ask(NODE, request(), DEADLINE);

    batch
        .reply()
        .completeExceptionally(
            TransportException.fromErrorReply(
                Envelopes.error(batch.asRequest(), "ETCD_UNAVAILABLE", "the ledger is down")));

    assertThat(failure(a)).isInstanceOf(TransportException.class).hasMessageContaining("ETCD");
    assertThat(failure(b)).isInstanceOf(TransportException.class).hasMessageContaining("ETCD");
    assertThat(transport.sent).hasSize(3);
    assertThat(transport.sent.get(2).type()).isEqualTo(VoteRequest.TYPE);
    assertThat(later).isNotDone();
  }

  @Test
  void answersOutOfOrderOrMissingFailTheVotesTheyDoNotMatch() {
    exchanges.ask(NODE, request(), DEADLINE);
    VoteRequest x = request();
    VoteRequest y = request();
    CompletableFuture<VoteResponse> ax = exchanges.ask(NODE, x, DEADLINE);
    CompletableFuture<VoteResponse> ay = exchanges.ask(NODE, y, DEADLINE);
    transport.sent.get(0).reply().completeExceptionally(new RuntimeException("gone"));
    ScriptedTransport.Sent batch = transport.sent.get(1);

    batch
        .reply()
        .complete(
            batchReply(
                batch,
                List.of(
                    VoteBatchResponse.Answer.voted(y.txId(), response(y)),
                    VoteBatchResponse.Answer.voted(x.txId(), response(x)))));

    assertThat(failure(ax)).hasMessageContaining("order");
    assertThat(failure(ay)).hasMessageContaining("order");
  }

  @Test
  void aSecondRequestOnOnePaymentWaitsForTheExchangeAfterTheOneCarryingTheFirst() {
    exchanges.ask(NODE, request(), DEADLINE);
    VoteRequest retried = request();
    VoteRequest other = request();
    exchanges.ask(NODE, retried, DEADLINE);
    exchanges.ask(NODE, retried, DEADLINE);
    exchanges.ask(NODE, other, DEADLINE);
    ScriptedTransport.Sent single = transport.sent.get(0);
    single.reply().completeExceptionally(new RuntimeException("gone"));

    ScriptedTransport.Sent batch = transport.sent.get(1);
    assertThat(batch.votes()).containsExactly(retried, other);
    batch.reply().completeExceptionally(new RuntimeException("gone"));

    assertThat(transport.sent).hasSize(3);
    assertThat(transport.sent.get(2).votes()).containsExactly(retried);
  }

  @Test
  void aVoteStillWaitingAtItsDeadlineFailsThenAndIsNeverSent() {
    exchanges.ask(NODE, request(), DEADLINE);
    CompletableFuture<VoteResponse> waiting = exchanges.ask(NODE, request(), Duration.ofMillis(50));

    assertThat(failure(waiting))
        .isInstanceOfSatisfying(
            TransportException.class,
            e -> assertThat(e.kind()).isEqualTo(TransportException.Kind.TIMEOUT));
    transport.sent.get(0).reply().completeExceptionally(new RuntimeException("gone"));
    assertThat(transport.sent).hasSize(1);
  }

  @Test
  void aVoteWithTooLittleOfItsDeadlineLeftFailsInsteadOfCuttingTheBatchsDeadlineShort()
      throws Exception {
    exchanges.ask(NODE, request(), DEADLINE);
    CompletableFuture<VoteResponse> nearlySpent =
        exchanges.ask(NODE, request(), VoteExchanges.LEAST_BUDGET.plusMillis(50));
    VoteRequest fresh = request();
    CompletableFuture<VoteResponse> freshAnswer = exchanges.ask(NODE, fresh, DEADLINE);
    Thread.sleep(100);

    transport.sent.get(0).reply().completeExceptionally(new RuntimeException("gone"));

    assertThat(failure(nearlySpent))
        .isInstanceOfSatisfying(
            TransportException.class,
            e -> assertThat(e.kind()).isEqualTo(TransportException.Kind.TIMEOUT));
    assertThat(transport.sent).hasSize(2);
    assertThat(transport.sent.get(1).votes()).containsExactly(fresh);
    assertThat(transport.sent.get(1).deadline()).isGreaterThan(Duration.ofSeconds(4));
    assertThat(freshAnswer).isNotDone();
  }

  @Test
  void aBatchIsAtMostWhatOneLedgerTransactionTakes() {
    exchanges.ask(NODE, request(), DEADLINE);
    for (int i = 0; i < VoteBatchRequest.MAX_VOTES + 5; i++) {
      exchanges.ask(NODE, request(), DEADLINE);
    }
    transport.sent.get(0).reply().completeExceptionally(new RuntimeException("gone"));
    assertThat(transport.sent.get(1).votes()).hasSize(VoteBatchRequest.MAX_VOTES);
    transport.sent.get(1).reply().completeExceptionally(new RuntimeException("gone"));
    assertThat(transport.sent.get(2).votes()).hasSize(5);
  }

  @Test
  void aTransportThatThrowsInsteadOfFailingTheFutureDoesNotStallTheNodesLane() {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    TransportClient throwingOnce =
        new TransportClient() {
          @Override
          public CompletableFuture<Envelope> request(
              Endpoint endpoint, String type, byte[] payload, Duration deadline) {
            if (calls.getAndIncrement() == 0) {
              throw new IllegalStateException("client closed");
            }
            return transport.request(endpoint, type, payload, deadline);
          }

          @Override
          public void close() {}
        };
    VoteExchanges lanes = new VoteExchanges(throwingOnce, Runnable::run, true, n -> {});

    CompletableFuture<VoteResponse> first = lanes.ask(NODE, request(), DEADLINE);
    lanes.ask(NODE, request(), DEADLINE);

    assertThat(failure(first)).hasMessageContaining("client closed");
    assertThat(transport.sent).hasSize(1);
    assertThat(transport.sent.get(0).type()).isEqualTo(VoteRequest.TYPE);
  }

  @Test
  void withoutCoalescingEveryVoteLeavesAtOnceAlone() {
    VoteExchanges alone = new VoteExchanges(transport, Runnable::run, false, n -> {});

    for (int i = 0; i < 4; i++) {
      alone.ask(NODE, request(), DEADLINE);
    }

    assertThat(transport.sent).hasSize(4).allMatch(s -> s.type().equals(VoteRequest.TYPE));
  }

  private static VoteRequest request() {
    return new VoteRequest(UUID.randomUUID(), UUID.randomUUID(), "bcrt1qexample", 1_000, "");
  }

  private static VoteResponse response(VoteRequest request) {
    VoteRecord vote =
        VoteRecord.unsigned(
                request.txId(),
                "node-1",
                Decision.APPROVE,
                "",
                request.payload().digest(Decision.APPROVE),
                Instant.parse("2026-12-05T10:00:00Z"))
            .withSignature(new byte[] {1});
    return new VoteResponse(vote, "counted");
  }

  private static Envelope reply(ScriptedTransport.Sent sent, VoteResponse response) {
    return Envelopes.reply(sent.asRequest(), VoteResponse.TYPE, VoteMessages.encode(response));
  }

  private static Envelope batchReply(
      ScriptedTransport.Sent sent, List<VoteBatchResponse.Answer> answers) {
    return Envelopes.reply(
        sent.asRequest(),
        VoteBatchResponse.TYPE,
        VoteMessages.encode(new VoteBatchResponse(answers)));
  }

  private static Throwable failure(CompletableFuture<?> future) {
    try {
      future.get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("no failure: " + e, e);
    }
    throw new AssertionError("completed normally");
  }
}
