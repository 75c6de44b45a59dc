package io.mpcw.node.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class RequestPathTest {

  private static final PeerIdentity ORCHESTRATOR = PeerIdentity.of("orchestrator");
  private static final Executor INLINE = Runnable::run;

  record Ping(String word) {}

  /** Records what the path asked of it, so each test can say which steps ran. */
  private static final class Recording implements RequestPath.Exchange<Ping, String> {
    final Envelope request;
    final List<String> steps = new ArrayList<>();
    RuntimeException failure;
    Throwable failedWith;

    Recording(Envelope request) {
      this.request = request;
    }

    @Override
    public Envelope refused(RequestPath.Refusal why, String detail) {
      steps.add("refused " + why);
      return Envelopes.error(request, why.name(), detail);
    }

    @Override
    public Ping decode(StrictPayload payload, byte[] bytes) {
      steps.add("decode");
      return payload.read(bytes, Ping.class, "ping.v1", ProtocolMessages::decode);
    }

    @Override
    public Runnable begin() {
      steps.add("begin");
      return () -> steps.add("end");
    }

    @Override
    public String serve(Ping message) {
      steps.add("serve");
      if (failure != null) {
        throw failure;
      }
      return "pong";
    }

    @Override
    public Envelope answer(StrictPayload payload, Ping message, String reply) {
      return Envelopes.reply(request, "pong.v1", reply.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Envelope failed(StrictPayload payload, Ping message, Throwable cause) {
      failedWith = cause;
      return Envelopes.error(request, "FAILED", RequestPath.detail(cause));
    }
  }

  private static Envelope request(String json) {
    return Envelopes.request(
        "ping.v1", 1, Instant.now().plusSeconds(5), json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void orchestratorRequestIsDecodedServedAndAnswered() {
    Recording exchange = new Recording(request("{\"word\":\"hi\"}"));

    Envelope reply =
        new RequestPath("orchestrator", INLINE)
            .serve(ORCHESTRATOR, exchange.request, exchange, "orchestrator only")
            .join();

    assertThat(reply.getType()).isEqualTo("pong.v1");
    assertThat(exchange.steps).containsExactly("decode", "begin", "serve", "end");
  }

  @Test
  void peerNodeIsRefusedForbiddenBeforeAnythingIsDecoded() {
    Recording exchange = new Recording(request("{\"word\":\"hi\"}"));

    Envelope reply =
        new RequestPath("orchestrator", INLINE)
            .serve(PeerIdentity.of("node-2"), exchange.request, exchange, "orchestrator only")
            .join();

    assertThat(reply.getError().getCode()).isEqualTo("FORBIDDEN");
    assertThat(reply.getError().getMessage()).isEqualTo("orchestrator only");
    assertThat(exchange.steps).containsExactly("refused FORBIDDEN");
  }

  @Test
  void malformedPayloadIsRefusedWithTheStrictReasonAndNeverServed() {
    Recording exchange = new Recording(request("{\"word\":\"hi\"} trailing"));

    Envelope reply =
        new RequestPath("orchestrator", INLINE)
            .serve(ORCHESTRATOR, exchange.request, exchange, "orchestrator only")
            .join();

    assertThat(reply.getError().getCode()).isEqualTo("MALFORMED");
    assertThat(reply.getError().getMessage()).isNotBlank().doesNotContain("trailing");
    assertThat(exchange.steps).containsExactly("refused MALFORMED");
  }

  @Test
  void fullWorkerPoolIsRefusedOverloadedAndTheStartedWorkIsEnded() {
    Recording exchange = new Recording(request("{\"word\":\"hi\"}"));
    Executor full =
        task -> {
          throw new RejectedExecutionException("queue full");
        };

    Envelope reply =
        new RequestPath("orchestrator", full)
            .serve(ORCHESTRATOR, exchange.request, exchange, "orchestrator only")
            .join();

    assertThat(reply.getError().getCode()).isEqualTo("OVERLOADED");
    assertThat(exchange.steps).containsExactly("decode", "begin", "end", "refused OVERLOADED");
  }

  @Test
  void failedWorkReachesTheFeatureUnwrapped() {
    Recording exchange = new Recording(request("{\"word\":\"hi\"}"));
    IllegalStateException boom = new IllegalStateException("boom");
    exchange.failure = new CompletionException(boom);

    Envelope reply =
        new RequestPath("orchestrator", INLINE)
            .serve(ORCHESTRATOR, exchange.request, exchange, "orchestrator only")
            .join();

    assertThat(exchange.failedWith).isSameAs(boom);
    assertThat(reply.getError().getMessage()).isEqualTo("boom");
    assertThat(exchange.steps).endsWith("end");
  }

  @Test
  void detailIsTheFirstLineCutAtThreeHundredCharacters() {
    String longLine = "x".repeat(400);

    assertThat(RequestPath.detail(new IllegalStateException(longLine + "\nsecond line")))
        .isEqualTo("x".repeat(300) + "…");
    assertThat(RequestPath.detail(new IllegalStateException("first\nsecond"))).isEqualTo("first");
    assertThat(RequestPath.detail(new IllegalStateException())).isEqualTo("IllegalStateException");
  }
}
