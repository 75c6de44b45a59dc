package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.signing.PooledCommitment;
import io.mpcw.protocol.signing.Prevout;
import io.mpcw.protocol.signing.SignPooledShareBatchRequest;
import io.mpcw.protocol.signing.SignPooledShareBatchResponse;
import io.mpcw.protocol.signing.SignPooledShareBatchResponse.Refusal;
import io.mpcw.protocol.signing.SignPooledShareRequest;
import io.mpcw.protocol.signing.SignPooledShareResponse;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.proto.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShareExchangesTest {
  private static final Endpoint NODE = new Endpoint("127.0.0.1", 1, "node-1");
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  /** One exchange the lanes started; the test answers it. */
  private record Exchange(String type, byte[] payload, CompletableFuture<Envelope> reply) {
    List<SignPooledShareRequest> sessions() {
      return type.equals(SignPooledShareRequest.TYPE)
          ? List.of(ProtocolMessages.decode(payload, SignPooledShareRequest.class))
          : ProtocolMessages.decode(payload, SignPooledShareBatchRequest.class).sessions();
    }

    Envelope request() {
      return Envelopes.request(type, 1, Instant.now(), DEADLINE, payload);
    }

    void signed(SignPooledShareResponse response) {
      reply.complete(
          Envelopes.reply(
              request(), SignPooledShareResponse.TYPE, ProtocolMessages.encode(response)));
    }

    void answered(List<SignPooledShareResponse> signed, List<Refusal> refused) {
      reply.complete(
          Envelopes.reply(
              request(),
              SignPooledShareBatchResponse.TYPE,
              ProtocolMessages.encode(new SignPooledShareBatchResponse(signed, refused))));
    }

    void refusedWhole(String code) {
      reply.completeExceptionally(
          TransportException.fromErrorReply(Envelopes.error(request(), code, "refused whole")));
    }

    /** Ends it without answers: the lane moves on to what waited. */
    void lost() {
      reply.completeExceptionally(
          new TransportException(TransportException.Kind.UNREACHABLE, "connection lost"));
    }
  }

  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private final List<Integer> sizes = new CopyOnWriteArrayList<>();
  private final TransportClient transport =
      new TransportClient() {
        @Override
        public CompletableFuture<Envelope> request(
            Endpoint endpoint, String type, byte[] payload, Duration deadline) {
          Exchange exchange = new Exchange(type, payload, new CompletableFuture<>());
          exchanges.add(exchange);
          return exchange.reply();
        }

        @Override
        public void close() {}
      };
  private final ShareExchanges shares =
      new ShareExchanges(transport, Runnable::run, true, sizes::add);

  private static CompletableFuture<SignPooledShareResponse> ask(
      ShareExchanges lanes, SignPooledShareRequest request) {
    return lanes.ask(NODE, ShareExchanges.Encoded.of(request), DEADLINE, n -> {});
  }

  @Test
  void aRequestToAnIdleNodeLeavesAtOnceAloneAsASingleShareRequest() {
    SignPooledShareRequest request = request();

    CompletableFuture<SignPooledShareResponse> answer = ask(shares, request);

    assertThat(exchanges).hasSize(1);
    assertThat(exchanges.get(0).type()).isEqualTo(SignPooledShareRequest.TYPE);
    assertThat(exchanges.get(0).sessions()).containsExactly(request);
    exchanges.get(0).signed(response(request));
    assertThat(answer.join().sessionId()).isEqualTo(request.sessionId());
  }

  @Test
  void aRequestThatWaitsBehindTheExchangeInFlightDepartsOnlyWhenItIsSent() {
    List<String> departed = new CopyOnWriteArrayList<>();
    shares.ask(
        NODE, ShareExchanges.Encoded.of(request()), DEADLINE, n -> departed.add("first/" + n));
    shares.ask(
        NODE, ShareExchanges.Encoded.of(request()), DEADLINE, n -> departed.add("second/" + n));
    shares.ask(
        NODE, ShareExchanges.Encoded.of(request()), DEADLINE, n -> departed.add("third/" + n));

    assertThat(departed).containsExactly("first/1");

    exchanges.get(0).lost();

    // the two that waited left together, each told its exchange carried two
    assertThat(departed).containsExactly("first/1", "second/2", "third/2");
  }

  @Test
  void requestsThatComeWhileTheNodesExchangeIsInFlightLeaveTogetherInOrderAsOneBatch() {
    ask(shares, request());
    List<SignPooledShareRequest> waiting = IntStream.range(0, 3).mapToObj(i -> request()).toList();
    List<CompletableFuture<SignPooledShareResponse>> answers = new ArrayList<>();
    waiting.forEach(r -> answers.add(ask(shares, r)));
    assertThat(exchanges).hasSize(1);

    exchanges.get(0).lost();

    Exchange batch = exchanges.get(1);
    assertThat(batch.type()).isEqualTo(SignPooledShareBatchRequest.TYPE);
    assertThat(batch.sessions()).containsExactlyElementsOf(waiting);
    // the requests' own encodings put together: what the batch record encodes to
    assertThat(batch.payload())
        .isEqualTo(ProtocolMessages.encode(new SignPooledShareBatchRequest(waiting)));
    assertThat(answers).noneMatch(CompletableFuture::isDone);
    // the node names each answer by its session, in whatever order
    batch.answered(
        List.of(response(waiting.get(2)), response(waiting.get(0)), response(waiting.get(1))),
        List.of());
    for (int i = 0; i < waiting.size(); i++) {
      assertThat(answers.get(i).join().sessionId()).isEqualTo(waiting.get(i).sessionId());
    }
    assertThat(sizes).containsExactly(1, 3);
  }

  @Test
  void twoSessionsOfOnePaymentNeverShareABatchTheSecondWaitsForTheNextExchange() {
    ask(shares, request());
    SignPooledShareRequest first = request();
    SignPooledShareRequest sibling = sessionOf(first.txId());
    SignPooledShareRequest other = request();
    ask(shares, first);
    ask(shares, sibling);
    ask(shares, other);

    exchanges.get(0).lost();
    assertThat(exchanges.get(1).sessions()).containsExactly(first, other);
    exchanges.get(1).lost();

    assertThat(exchanges).hasSize(3);
    assertThat(exchanges.get(2).type()).isEqualTo(SignPooledShareRequest.TYPE);
    assertThat(exchanges.get(2).sessions()).containsExactly(sibling);
  }

  @Test
  void moreThanABatchsSessionsWaitingLeaveInSeveralExchanges() {
    ask(shares, request());
    for (int i = 0; i < SignPooledShareBatchRequest.MAX_SESSIONS + 3; i++) {
      ask(shares, request());
    }

    exchanges.get(0).lost();
    assertThat(exchanges.get(1).sessions()).hasSize(SignPooledShareBatchRequest.MAX_SESSIONS);
    exchanges.get(1).lost();

    assertThat(exchanges.get(2).sessions()).hasSize(3);
  }

  @Test
  void aBatchTakesWaitingRequestsInOrderWhileTheyFitItsBytesAndOneLargerThanThatGoesAlone() {
    int third = ShareExchanges.BATCH_BYTES / 3;
    ask(shares, request());
    SignPooledShareRequest a = request(third);
    SignPooledShareRequest b = request(third);
    SignPooledShareRequest c = request(third);
    SignPooledShareRequest huge = request(ShareExchanges.BATCH_BYTES + 1);
    SignPooledShareRequest d = request();
    SignPooledShareRequest e = request();
    List.of(a, b, c, huge, d, e).forEach(r -> ask(shares, r));

    for (int i = 0; i < 5; i++) {
      exchanges.get(i).lost();
    }

    assertThat(sizes).containsExactly(1, 2, 1, 1, 2);
    assertThat(exchanges.get(1).sessions()).containsExactly(a, b);
    assertThat(exchanges.get(2).sessions()).containsExactly(c);
    assertThat(exchanges.get(2).type()).isEqualTo(SignPooledShareRequest.TYPE);
    assertThat(exchanges.get(3).sessions()).containsExactly(huge);
    assertThat(exchanges.get(3).type()).isEqualTo(SignPooledShareRequest.TYPE);
    assertThat(exchanges.get(4).sessions()).containsExactly(d, e);
  }

  @Test
  void aSessionRefusedInsideABatchFailsOnlyItsRequestAsTheSameRefusalOfALoneRequestWould() {
    SignPooledShareRequest unapproved = request();
    SignPooledShareRequest aborted = request();
    SignPooledShareRequest fine = request();
    List<CompletableFuture<SignPooledShareResponse>> answers =
        batchOf(List.of(unapproved, aborted, fine));

    exchanges
        .get(1)
        .answered(
            List.of(response(fine)),
            List.of(
                new Refusal(unapproved.sessionId(), ProtocolErrors.NOT_APPROVED, "2 of 4"),
                new Refusal(aborted.sessionId(), ProtocolErrors.SESSION_ABORTED, "aborted")));

    assertThat(failure(answers.get(0)))
        .isInstanceOfSatisfying(
            TransportException.class,
            e -> assertThat(e.remoteCode()).contains(ProtocolErrors.NOT_APPROVED));
    assertThat(SignerRequests.Failure.of(failure(answers.get(0))))
        .isEqualTo(SignerRequests.Failure.PAYMENT_REFUSAL);
    assertThat(describe(answers.get(0))).startsWith("NOT_APPROVED");
    assertThat(SignerRequests.Failure.of(failure(answers.get(1))))
        .isEqualTo(SignerRequests.Failure.BENIGN);
    assertThat(describe(answers.get(1))).startsWith("SESSION_ABORTED");
    assertThat(answers.get(2).join().sessionId()).isEqualTo(fine.sessionId());
  }

  @Test
  void aBatchRefusedWholeFailsEachOfItsRequestsAsIfEachHadBeenRefusedAloneAndTheLaneGoesOn() {
    List<CompletableFuture<SignPooledShareResponse>> answers =
        batchOf(List.of(request(), request()));
    SignPooledShareRequest next = request();
    CompletableFuture<SignPooledShareResponse> later = ask(shares, next);

    exchanges.get(1).refusedWhole(ProtocolErrors.UNSUPPORTED_TYPE);

    for (var answer : answers) {
      assertThat(failure(answer))
          .isInstanceOfSatisfying(
              TransportException.class,
              e -> assertThat(e.remoteCode()).contains(ProtocolErrors.UNSUPPORTED_TYPE));
      assertThat(SignerRequests.Failure.of(failure(answer)))
          .isEqualTo(SignerRequests.Failure.BENIGN);
    }
    assertThat(exchanges).hasSize(3);
    assertThat(exchanges.get(2).sessions()).containsExactly(next);
    assertThat(later).isNotDone();
  }

  @Test
  void answersMissingASessionAskedFailEveryRequestOfTheBatchAsAMalformedReply() {
    List<SignPooledShareRequest> asked = List.of(request(), request());
    List<CompletableFuture<SignPooledShareResponse>> answers = batchOf(asked);

    exchanges.get(1).answered(List.of(response(asked.get(0))), List.of());

    assertThat(answers).allSatisfy(a -> assertThat(describe(a)).isEqualTo("malformed reply"));
  }

  @Test
  void answersNamingASessionNotAskedFailEveryRequestOfTheBatchAsAMalformedReply() {
    List<SignPooledShareRequest> asked = List.of(request(), request());
    List<CompletableFuture<SignPooledShareResponse>> answers = batchOf(asked);

    exchanges.get(1).answered(List.of(response(asked.get(0)), response(request())), List.of());

    assertThat(answers).allSatisfy(a -> assertThat(describe(a)).isEqualTo("malformed reply"));
  }

  @Test
  void answersNamingASessionTwiceFailEveryRequestOfTheBatchAsAMalformedReply() {
    List<SignPooledShareRequest> asked = List.of(request(), request());
    List<CompletableFuture<SignPooledShareResponse>> answers = batchOf(asked);

    exchanges
        .get(1)
        .answered(
            List.of(response(asked.get(0)), response(asked.get(1))),
            List.of(new Refusal(asked.get(1).sessionId(), ProtocolErrors.SESSION_ABORTED, "")));

    assertThat(answers).allSatisfy(a -> assertThat(describe(a)).isEqualTo("malformed reply"));
    assertThat(SignerRequests.Failure.of(failure(answers.get(0))))
        .isEqualTo(SignerRequests.Failure.SILENT);
  }

  @Test
  void withoutCoalescingEveryRequestLeavesAtOnceAlone() {
    ShareExchanges alone = new ShareExchanges(transport, Runnable::run, false, sizes::add);

    for (int i = 0; i < 4; i++) {
      ask(alone, request());
    }

    assertThat(exchanges).hasSize(4).allMatch(e -> e.type().equals(SignPooledShareRequest.TYPE));
    assertThat(sizes).containsExactly(1, 1, 1, 1);
  }

  private static SignPooledShareRequest request() {
    return request(10);
  }

  /** A request of about {@code bytes} encoded (its unsigned transaction is most of it). */
  private static SignPooledShareRequest request(int bytes) {
    return request(UUID.randomUUID(), "00".repeat(bytes / 2));
  }

  private static SignPooledShareRequest sessionOf(UUID txId) {
    return request(txId, "00");
  }

  private static SignPooledShareRequest request(UUID txId, String unsignedTx) {
    return new SignPooledShareRequest(
        UUID.randomUUID(),
        txId,
        UUID.randomUUID(),
        "bcrt1qexample",
        1_000,
        unsignedTx,
        List.of(new Prevout(2_000, "5120" + "11".repeat(32))),
        Map.of("node-1", List.of(new PooledCommitment(UUID.randomUUID(), "02ab"))),
        0);
  }

  private static SignPooledShareResponse response(SignPooledShareRequest request) {
    return new SignPooledShareResponse(request.sessionId(), "node-1", List.of("aa"), List.of());
  }

  /** Asks {@code requests} while an exchange is in flight, then ends it: they leave as a batch. */
  private List<CompletableFuture<SignPooledShareResponse>> batchOf(
      List<SignPooledShareRequest> requests) {
    ask(shares, request());
    List<CompletableFuture<SignPooledShareResponse>> answers =
        requests.stream().map(r -> ask(shares, r)).toList();
    exchanges.get(0).lost();
    assertThat(exchanges.get(1).sessions()).containsExactlyElementsOf(requests);
    return answers;
  }

  private static String describe(CompletableFuture<?> answer) {
    return SignerRequests.describe(failure(answer));
  }

  private static Throwable failure(CompletableFuture<?> answer) {
    assertThat(answer).isCompletedExceptionally();
    return answer.handle((value, failure) -> failure).join();
  }
}
