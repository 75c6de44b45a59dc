package io.mpcw.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.node.request.RequestPath;
import io.mpcw.node.session.InFlightSessions;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.signing.SignCommitRequest;
import io.mpcw.protocol.signing.SignCommitResponse;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.ErrorCodes;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.votes.VoteRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The router's own decisions, with participants replaced by functions. */
class ProtocolRouterTest {

  private static final PeerIdentity ORCHESTRATOR = PeerIdentity.of("orchestrator");
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ProtocolMetrics metrics = new ProtocolMetrics(meters, () -> 0, () -> 0);
  private final InFlightSessions sessions = new InFlightSessions();

  private ProtocolRouter router(
      Function<SignCommitRequest, SignCommitResponse> commit, Executor workers) {
    Route<SignCommitRequest, SignCommitResponse> route =
        new Route<>(
            SignCommitRequest.TYPE,
            Route.Family.SIGNING,
            "commit",
            SignCommitRequest.class,
            SignCommitResponse.TYPE,
            commit);
    return new ProtocolRouter(
        (peer, request) ->
            CompletableFuture.completedFuture(Envelopes.reply(request, "vote.reply", new byte[0])),
        List.of(route),
        "orchestrator",
        workers,
        metrics,
        sessions);
  }

  private static Envelope commitRequest() {
    return Envelopes.request(
        SignCommitRequest.TYPE,
        7,
        Instant.now().plusSeconds(5),
        ProtocolMessages.encode(
            new SignCommitRequest(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1)));
  }

  private static SignCommitResponse committed(SignCommitRequest request) {
    return new SignCommitResponse(request.sessionId(), "node-1", 1, List.of("00"));
  }

  private double refusals(String reason) {
    return meters.get("node.signing.refusals").tag("reason", reason).counter().count();
  }

  @Test
  void servesARouteOnTheWorkersWithItsReplyType() {
    Envelope reply =
        router(ProtocolRouterTest::committed, Runnable::run)
            .handle(ORCHESTRATOR, commitRequest())
            .join();

    assertThat(reply.hasError()).isFalse();
    assertThat(reply.getType()).isEqualTo(SignCommitResponse.TYPE);
    assertThat(
            ProtocolMessages.decode(reply.getPayload().toByteArray(), SignCommitResponse.class)
                .nodeId())
        .isEqualTo("node-1");
    assertThat(
            meters
                .get("node.signing.requests")
                .tag("round", "commit")
                .tag("outcome", "ok")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(sessions.count()).isZero();
  }

  @Test
  void votesGoToTheVoteHandler() {
    Envelope reply =
        router(ProtocolRouterTest::committed, Runnable::run)
            .handle(
                ORCHESTRATOR,
                Envelopes.request(VoteRequest.TYPE, 1, Instant.now().plusSeconds(5), new byte[0]))
            .join();

    assertThat(reply.getType()).isEqualTo("vote.reply");
  }

  @Test
  void unknownTypeIsUnsupported() {
    Envelope reply =
        router(ProtocolRouterTest::committed, Runnable::run)
            .handle(
                ORCHESTRATOR,
                Envelopes.request("wallet.steal.v1", 1, Instant.now().plusSeconds(5), new byte[0]))
            .join();

    assertThat(reply.getError().getCode()).isEqualTo(ProtocolErrors.UNSUPPORTED_TYPE);
    assertThat(meters.get("node.protocol.unsupported").counter().count()).isEqualTo(1);
  }

  @Test
  void nodeCallingSigningIsRefusedAndCounted() {
    Envelope reply =
        router(
                request -> {
                  throw new AssertionError("must not reach the participant");
                },
                Runnable::run)
            .handle(PeerIdentity.of("node-2"), commitRequest())
            .join();

    assertThat(reply.getError().getCode()).isEqualTo(RequestPath.FORBIDDEN);
    assertThat(refusals("forbidden")).isEqualTo(1);
  }

  @Test
  void malformedPayloadIsRefusedAndCounted() {
    Envelope reply =
        router(ProtocolRouterTest::committed, Runnable::run)
            .handle(
                ORCHESTRATOR,
                Envelopes.request(
                    SignCommitRequest.TYPE,
                    1,
                    Instant.now().plusSeconds(5),
                    "{\"session_id\":1}".getBytes(StandardCharsets.UTF_8)))
            .join();

    assertThat(reply.getError().getCode()).isEqualTo(ProtocolErrors.MALFORMED_REQUEST);
    assertThat(refusals("malformed_request")).isEqualTo(1);
  }

  @Test
  void fullWorkerPoolGetsARetryableOverloadedReply() {
    Envelope reply =
        router(
                ProtocolRouterTest::committed,
                task -> {
                  throw new RejectedExecutionException("full");
                })
            .handle(ORCHESTRATOR, commitRequest())
            .join();

    assertThat(reply.getError().getCode()).isEqualTo(ProtocolErrors.OVERLOADED);
    assertThat(ProtocolErrors.retryable(reply.getError().getCode())).isTrue();
    assertThat(refusals("node_overloaded")).isEqualTo(1);
    assertThat(sessions.count()).isZero();
  }

  @Test
  void participantRefusalBecomesAnErrorReplyWithItsCode() {
    Envelope reply =
        router(
                request -> {
                  throw new ProtocolException(ProtocolErrors.NOT_A_PARTICIPANT, "no share");
                },
                Runnable::run)
            .handle(ORCHESTRATOR, commitRequest())
            .join();

    assertThat(reply.getError().getCode()).isEqualTo(ProtocolErrors.NOT_A_PARTICIPANT);
    assertThat(reply.getError().getMessage()).isEqualTo("no share");
    assertThat(refusals("not_a_participant")).isEqualTo(1);
  }

  @Test
  void participantBugBecomesAnInternalReplyWithoutItsMessage() {
    Envelope reply =
        router(
                request -> {
                  throw new IllegalStateException("secret internals");
                },
                Runnable::run)
            .handle(ORCHESTRATOR, commitRequest())
            .join();

    assertThat(reply.getError().getCode()).isEqualTo(ErrorCodes.INTERNAL);
    assertThat(reply.getError().getMessage()).doesNotContain("secret");
    assertThat(
            meters
                .get("node.signing.requests")
                .tag("round", "commit")
                .tag("outcome", "failed")
                .counter()
                .count())
        .isEqualTo(1);
  }
}
