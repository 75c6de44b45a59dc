package io.mpcw.orchestrator.signing;

import io.mpcw.orchestrator.cluster.CoalescingLanes;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.signing.SignPooledShareBatchRequest;
import io.mpcw.protocol.signing.SignPooledShareBatchResponse;
import io.mpcw.protocol.signing.SignPooledShareRequest;
import io.mpcw.protocol.signing.SignPooledShareResponse;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import jakarta.annotation.PreDestroy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Sends round 2 on pooled commitments to the signers, one exchange in flight per node ({@link
 * CoalescingLanes}): the requests that come while a node's exchange is in flight leave together in
 * the next one as one {@code sign.share.batch.v1}, whose sessions the node reads and records in one
 * etcd transaction each way. A request to an idle node still leaves at once, alone, as {@code
 * sign.share.v2}. A batch holds at most {@link SignPooledShareBatchRequest#MAX_SESSIONS} sessions,
 * one per payment, and at most {@link #BATCH_BYTES} of requests: a payment with hundreds of inputs
 * is a request of hundreds of kilobytes, and a batch must stay within the transport's frame.
 *
 * <p>A session refused inside a batch fails its request with the exception the same refusal would
 * have been as the reply to a lone request ({@link TransportException#remote}), so that {@link
 * SignerRequests.Failure} counts it against the signer exactly the same; a batch that fails whole
 * (transport, {@code OVERLOADED}, {@code UNSUPPORTED_TYPE} from a node without batches) fails each
 * of its requests with that failure.
 */
@Component
class ShareExchanges {

  /**
   * The most request bytes in one batch: half the transport's frame ({@code
   * Frames.DEFAULT_MAX_FRAME_BYTES}, 1 MiB), which leaves room for the envelope.
   */
  static final int BATCH_BYTES = 512 * 1024;

  /**
   * A round-2 request encoded once: a session asks the same of each of its signers, and a batch is
   * the encoded requests put together as they are.
   */
  record Encoded(SignPooledShareRequest request, byte[] bytes) {
    static Encoded of(SignPooledShareRequest request) {
      return new Encoded(request, ProtocolMessages.encode(request));
    }
  }

  private final CoalescingLanes<Encoded, SignPooledShareResponse> lanes;

  // the pool this component made for the replies (none when given an executor), closed with it
  private final ExecutorService ownPool;

  @Autowired
  ShareExchanges(TransportClient transport, SigningProperties properties, SigningMetrics metrics) {
    // replies are decoded there rather than on the QUIC event loop, which serves every exchange
    this(
        transport,
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "share-replies");
              t.setDaemon(true);
              return t;
            }),
        properties.coalesce(),
        metrics::sessionsPerExchange);
  }

  private ShareExchanges(
      TransportClient transport, ExecutorService pool, boolean coalesce, IntConsumer sent) {
    this.lanes = new CoalescingLanes<>(new ShareWire(), transport, pool, coalesce, sent);
    this.ownPool = pool;
  }

  /**
   * @param replies where replies are decoded and the answers completed: never the QUIC event loop
   * @param coalesce false sends every request at once, alone (the behaviour before batching, kept
   *     for side-by-side measurements)
   * @param sent told the number of sessions of each exchange sent
   */
  ShareExchanges(TransportClient transport, Executor replies, boolean coalesce, IntConsumer sent) {
    this.lanes = new CoalescingLanes<>(new ShareWire(), transport, replies, coalesce, sent);
    this.ownPool = null;
  }

  @PreDestroy
  void close() {
    if (ownPool != null) {
      ownPool.shutdownNow();
    }
  }

  /**
   * Asks the signer at {@code endpoint} for its shares of the session; completes with its reply, or
   * exceptionally with a {@link TransportException} (or {@link IllegalArgumentException} for a
   * reply that does not decode or does not match), never later than {@code deadline} from now;
   * {@code departed} is told when the request leaves for the node ({@link CoalescingLanes#ask}).
   */
  CompletableFuture<SignPooledShareResponse> ask(
      Endpoint endpoint, Encoded request, Duration deadline, IntConsumer departed) {
    return lanes.ask(endpoint, request, deadline, departed);
  }

  /**
   * The batch of {@code sessions}: their encodings spliced into its one field, byte for byte what
   * {@link ProtocolMessages#encode} writes for the {@link SignPooledShareBatchRequest}, without
   * encoding each request again.
   */
  static byte[] batch(List<Encoded> sessions) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(32 + sessions.stream().mapToInt(s -> s.bytes().length + 1).sum());
    out.writeBytes("{\"sessions\":[".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < sessions.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(sessions.get(i).bytes());
    }
    out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** Round-2 requests alone and in batches; one session per payment in a batch. */
  private static final class ShareWire
      implements CoalescingLanes.Wire<Encoded, SignPooledShareResponse> {
    @Override
    public String noun() {
      return "round-2 request";
    }

    @Override
    public String singleType() {
      return SignPooledShareRequest.TYPE;
    }

    @Override
    public byte[] encode(Encoded request) {
      return request.bytes();
    }

    @Override
    public SignPooledShareResponse decode(byte[] reply) {
      return ProtocolMessages.decode(reply, SignPooledShareResponse.class);
    }

    @Override
    public String batchType() {
      return SignPooledShareBatchRequest.TYPE;
    }

    @Override
    public int maxBatch() {
      return SignPooledShareBatchRequest.MAX_SESSIONS;
    }

    /** The payment: its sessions share its lock on the node, and one etcd key each. */
    @Override
    public Object batchKey(Encoded request) {
      return request.request().txId();
    }

    @Override
    public Object answerKey(Encoded request) {
      return request.request().sessionId();
    }

    @Override
    public byte[] encodeBatch(List<Encoded> requests) {
      return batch(requests);
    }

    /**
     * The node names each session's answer by its id, signed or refused: unless the answers are
     * exactly the sessions asked, each once, none is taken.
     */
    @Override
    public List<CoalescingLanes.Answer<SignPooledShareResponse>> decodeBatch(
        List<Encoded> asked, byte[] reply) {
      SignPooledShareBatchResponse response =
          ProtocolMessages.decode(reply, SignPooledShareBatchResponse.class);
      Map<UUID, CoalescingLanes.Answer<SignPooledShareResponse>> answers = new HashMap<>();
      int given = response.signed().size() + response.refused().size();
      for (SignPooledShareResponse signed : response.signed()) {
        answers.put(
            signed.sessionId(), CoalescingLanes.Answer.answered(signed.sessionId(), signed));
      }
      for (SignPooledShareBatchResponse.Refusal refused : response.refused()) {
        // the exception the same refusal of a lone request is: counted against the node alike
        answers.put(
            refused.sessionId(),
            CoalescingLanes.Answer.failed(
                refused.sessionId(), TransportException.remote(refused.error(), refused.detail())));
      }
      List<CoalescingLanes.Answer<SignPooledShareResponse>> inOrder = new ArrayList<>();
      for (Encoded request : asked) {
        inOrder.add(answers.remove(request.request().sessionId()));
      }
      if (given != asked.size() || !answers.isEmpty() || inOrder.contains(null)) {
        throw new IllegalArgumentException(
            "the node's answers to a batch of "
                + asked.size()
                + " are not the sessions asked, each once");
      }
      return inOrder;
    }

    @Override
    public long bytes(Encoded request) {
      return request.bytes().length;
    }

    @Override
    public long maxBatchBytes() {
      return BATCH_BYTES;
    }
  }
}
