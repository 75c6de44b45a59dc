package io.mpcw.node.vote;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.embedded.FreePorts;
import io.mpcw.node.fault.ByzantineMode;
import io.mpcw.node.identity.TestPki;
import io.mpcw.node.policy.SpendWindow;
import io.mpcw.node.policy.VotePolicy;
import io.mpcw.node.request.RequestPath;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.ErrorCodes;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.VoteBatchRequest;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VoteRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refusals the handler decides before any etcd call, so no etcd is reached here. */
class VoteHandlerTest {

  @TempDir Path pkiDir;
  private Client unusedEtcd;
  private VoteLedgers ledgers;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final VoteMetrics metrics = new VoteMetrics(meters);

  @BeforeEach
  void setUp() {
    // jetcd connects lazily: these tests must never get as far as a call
    unusedEtcd = Client.builder().endpoints("http://127.0.0.1:" + FreePorts.next()).build();
    ledgers =
        new VoteLedgers(
            unusedEtcd.getKVClient(),
            EtcdKeys.defaults(),
            Duration.ofSeconds(2),
            Duration.ofSeconds(10));
  }

  @AfterEach
  void tearDown() {
    unusedEtcd.close();
  }

  /** Workers that take no more work: the node is overloaded. */
  private static final Executor FULL =
      task -> {
        throw new RejectedExecutionException("full");
      };

  /** Workers a refused request must never reach. */
  private static final Executor NEVER_VOTES =
      task -> {
        throw new AssertionError("must not vote");
      };

  private VoteHandler handler(Executor workers) {
    VoteService service =
        new VoteService(
            new VotePolicy(VotingNode.DEFAULT_POLICY),
            new SpendWindow(Clock.systemUTC()),
            new VoteRecorder(
                new VoteSigner(new TestPki(pkiDir).node("node-1")), ByzantineMode.NONE),
            ByzantineMode.NONE,
            metrics,
            Clock.systemUTC());
    return new VoteHandler(
        service, ledgers, ByzantineMode.NONE, metrics, workers, Clock.systemUTC(), "orchestrator");
  }

  private static Envelope request(Instant deadline) {
    return Envelopes.request(
        VoteRequest.TYPE, 1, deadline, VoteMessages.encode(Payments.payment(1_000)));
  }

  @Test
  void fullWorkQueueGetsARetryableOverloadedReply() {
    VoteHandler handler = handler(FULL);

    Envelope reply =
        handler
            .handle(PeerIdentity.of("orchestrator"), request(Instant.now().plusSeconds(5)))
            .join();

    assertThat(reply.getError().getCode()).isEqualTo(VoteErrors.OVERLOADED);
    assertThat(VoteErrors.retryable(reply.getError().getCode())).isTrue();
    assertThat(meters.get("node.votes.refused").tag("reason", "overloaded").counter().count())
        .isEqualTo(1);
  }

  private static Envelope batchRequest(Instant deadline) {
    return Envelopes.request(
        VoteBatchRequest.TYPE,
        2,
        deadline,
        VoteMessages.encode(
            new VoteBatchRequest(List.of(Payments.payment(1_000), Payments.payment(2_000)))));
  }

  @Test
  void aBatchMeetingAFullWorkQueueGetsARetryableOverloadedReplyWithoutVoting() {
    VoteHandler handler = handler(FULL);

    Envelope reply =
        handler
            .handle(PeerIdentity.of("orchestrator"), batchRequest(Instant.now().plusSeconds(5)))
            .join();

    assertThat(reply.getError().getCode()).isEqualTo(VoteErrors.OVERLOADED);
    assertThat(meters.get("node.votes.refused").tag("reason", "overloaded").counter().count())
        .isEqualTo(1);
  }

  @Test
  void aBatchWhoseDeadlineIsAlmostOverIsNotVotedOn() {
    VoteHandler handler = handler(NEVER_VOTES);

    Envelope reply =
        handler
            .handle(PeerIdentity.of("orchestrator"), batchRequest(Instant.now().plusMillis(20)))
            .join();

    assertThat(reply.getError().getCode()).isEqualTo(ErrorCodes.DEADLINE_EXCEEDED);
  }

  @Test
  void voteAskedByAnotherNodeIsRefusedAndCountedWithoutVoting() {
    VoteHandler handler = handler(NEVER_VOTES);

    Envelope reply =
        handler.handle(PeerIdentity.of("node-2"), request(Instant.now().plusSeconds(5))).join();

    assertThat(reply.getError().getCode()).isEqualTo(RequestPath.FORBIDDEN);
    assertThat(VoteErrors.retryable(reply.getError().getCode())).isFalse();
    assertThat(meters.get("node.votes.refused").tag("reason", "forbidden").counter().count())
        .isEqualTo(1);
  }

  @Test
  void requestWhoseDeadlineIsAlmostOverIsNotVotedOn() {
    VoteHandler handler = handler(NEVER_VOTES);

    Envelope reply =
        handler
            .handle(PeerIdentity.of("orchestrator"), request(Instant.now().plusMillis(20)))
            .join();

    assertThat(reply.getError().getCode()).isEqualTo(ErrorCodes.DEADLINE_EXCEEDED);
  }

  @Test
  void ledgerTimeoutsAreCutToTheRequestsDeadline() {
    assertThat(ledgers.within(Optional.of(Duration.ofMillis(50)))).isEmpty();
    assertThat(ledgers.within(Optional.of(Duration.ofSeconds(3)))).isPresent();
    assertThat(ledgers.within(Optional.empty())).isPresent();
  }

  private Envelope malformed(String payload) {
    return malformed(handler(NEVER_VOTES), payload);
  }

  private static Envelope malformed(VoteHandler handler, String payload) {
    return handler
        .handle(
            PeerIdentity.of("orchestrator"),
            Envelopes.request(
                VoteRequest.TYPE,
                1,
                Instant.now().plusSeconds(5),
                payload.getBytes(StandardCharsets.UTF_8)))
        .join();
  }

  private static String valid() {
    return new String(VoteMessages.encode(Payments.payment(1_000)), StandardCharsets.UTF_8);
  }

  @Test
  void voteFollowedByMoreDataIsRefusedAsMalformed() {
    Envelope reply = malformed(valid() + valid());

    assertThat(reply.getError().getCode()).isEqualTo(VoteErrors.MALFORMED_REQUEST);
    assertThat(meters.get("node.votes.refused").tag("reason", "malformed").counter().count())
        .isEqualTo(1);
  }

  @Test
  void malformedVoteReplyNamesTheFieldWithoutInputOrJavaNames() {
    String hostile = "QZXFUZZ" + "7".repeat(400);
    Envelope reply =
        malformed(
            valid().replaceFirst("\"amount_sats\":1000", "\"amount_sats\":\"" + hostile + "\""));

    assertThat(reply.getError().getMessage())
        .isEqualTo("not a valid vote.request.v1: field amount_sats has a value of the wrong type");
  }

  @Test
  void malformedVotesAreLoggedAtMostTheRateLimitAndTheRestCounted() {
    VoteHandler handler = handler(NEVER_VOTES);
    for (int i = 0; i < 25; i++) {
      malformed(handler, "{\"tx_id\":" + i + "}");
    }

    assertThat(
            meters
                .get("log_lines_suppressed_total")
                .tag("category", "node_vote_refusal")
                .counter()
                .count())
        .isEqualTo(15);
    assertThat(meters.get("node.votes.refused").tag("reason", "malformed").counter().count())
        .isEqualTo(25);
  }
}
