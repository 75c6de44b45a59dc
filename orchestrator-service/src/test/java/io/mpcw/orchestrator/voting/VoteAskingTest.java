package io.mpcw.orchestrator.voting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.config.VotingProperties;
import io.mpcw.orchestrator.signing.NodeLatencies;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.votes.Decision;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What the voting stage keeps of a node's answer: only its own vote on the payment asked. */
class VoteAskingTest {
  private static final Endpoint NODE_1 = new Endpoint("127.0.0.1", 1, "node-1");

  private final VoteMirror mirror = mock(VoteMirror.class);

  @Test
  void anAnswerCarryingAVoteOnAnotherPaymentIsNotCollected() throws Exception {
    VoteRequest asked = request();
    UUID other = UUID.randomUUID();

    CollectedAnswers answers = ask(asked, r -> vote(other, "node-1"));

    assertThat(answers.current()).isEmpty();
  }

  @Test
  void anAnswerCarryingAnotherNodesVoteIsNotCollected() throws Exception {
    VoteRequest asked = request();

    CollectedAnswers answers = ask(asked, r -> vote(r.txId(), "node-2"));

    assertThat(answers.current()).isEmpty();
  }

  @Test
  void theNodesOwnVoteOnThePaymentIsCollected() throws Exception {
    VoteRequest asked = request();

    CollectedAnswers answers = ask(asked, r -> vote(r.txId(), "node-1"));

    assertThat(answers.current()).containsOnlyKeys("node-1");
    verify(mirror, never()).answered(any());
  }

  /** Asks node-1 alone (threshold 1), which answers with {@code answer}'s vote. */
  private CollectedAnswers ask(VoteRequest request, Function<VoteRequest, VoteRecord> answer)
      throws Exception {
    TransportClient transport =
        new TransportClient() {
          @Override
          public CompletableFuture<Envelope> request(
              Endpoint endpoint, String type, byte[] payload, Duration deadline) {
            VoteRequest asked = VoteMessages.decode(payload, VoteRequest.class);
            Envelope envelope = Envelopes.request(type, 1, Instant.now(), deadline, payload);
            return CompletableFuture.completedFuture(
                Envelopes.reply(
                    envelope,
                    VoteResponse.TYPE,
                    VoteMessages.encode(new VoteResponse(answer.apply(asked), "counted"))));
          }

          @Override
          public void close() {}
        };
    VoteAsking asking =
        new VoteAsking(
            mirror,
            transport,
            new VotingProperties(
                Duration.ofSeconds(3), Duration.ofMillis(300), Duration.ofMillis(10), true),
            new VotingMetrics(new SimpleMeterRegistry()),
            new NodeLatencies());
    try {
      VotingRound round =
          new VotingRound(
              request.txId(),
              1,
              1,
              0,
              List.of("node-1"),
              Instant.now(),
              Instant.now().plusSeconds(60),
              Optional.empty());
      CollectedAnswers answers = new CollectedAnswers(Map.of());
      asking
          .askMissing(
              round,
              Map.of(
                  "node-1",
                  new NodeDirectory.KnownNode("node-1", Optional.of(NODE_1), Optional.empty())),
              request,
              answers)
          .get(10, TimeUnit.SECONDS);
      return answers;
    } finally {
      asking.stop();
    }
  }

  private static VoteRequest request() {
    return new VoteRequest(UUID.randomUUID(), UUID.randomUUID(), "bcrt1qexample", 1_000, "");
  }

  private static VoteRecord vote(UUID txId, String node) {
    return VoteRecord.unsigned(
            txId, node, Decision.APPROVE, "", "digest", Instant.parse("2026-12-05T10:00:00Z"))
        .withSignature(new byte[] {1});
  }
}
