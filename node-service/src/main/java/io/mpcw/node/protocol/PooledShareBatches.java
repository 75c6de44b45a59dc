package io.mpcw.node.protocol;

import io.mpcw.node.request.RequestPath;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.signing.SignPooledShareBatchRequest;
import io.mpcw.protocol.signing.SignPooledShareBatchResponse;
import io.mpcw.protocol.signing.SignPooledShareBatchResponse.Refusal;
import io.mpcw.protocol.signing.SignPooledShareResponse;
import io.mpcw.protocol.signing.SigningParticipant;
import io.mpcw.transport.frame.ErrorCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code sign.share.batch.v1}: every session's outcome becomes its answer with the code and
 * detail a lone {@code sign.share.v2} would have been answered with, and is counted as one round 2.
 * A session's refusal never fails the batch.
 */
final class PooledShareBatches {
  private static final Logger log = LoggerFactory.getLogger(PooledShareBatches.class);

  /** Said instead of a rejected value's own words, which may quote the request. */
  static final String INVALID_DETAIL = "a value of this session is not valid here";

  static final String INTERNAL_DETAIL = "internal error; see the node's log";

  private final SigningParticipant signing;
  private final ProtocolMetrics metrics;

  PooledShareBatches(SigningParticipant signing, ProtocolMetrics metrics) {
    this.signing = signing;
    this.metrics = metrics;
  }

  SignPooledShareBatchResponse serve(SignPooledShareBatchRequest batch) {
    List<SignPooledShareResponse> signed = new ArrayList<>();
    List<Refusal> refused = new ArrayList<>();
    for (SigningParticipant.Outcome outcome : signing.sharePooledAll(batch)) {
      if (outcome.reply() != null) {
        metrics.batchedShare("ok", null);
        signed.add(outcome.reply());
      } else {
        refused.add(refusal(outcome.sessionId(), outcome.refusal()));
      }
    }
    return new SignPooledShareBatchResponse(signed, refused);
  }

  private Refusal refusal(UUID sessionId, RuntimeException cause) {
    if (cause instanceof ProtocolException refusal) {
      String detail = RequestPath.detail(refusal);
      log.info("round 2 of session {} refused: {} {}", sessionId, refusal.code(), detail);
      metrics.batchedShare("refused", refusal.code());
      return new Refusal(sessionId, refusal.code(), detail);
    }
    if (cause instanceof IllegalArgumentException) {
      log.info("round 2 of session {} refused: a value is not valid", sessionId);
      metrics.batchedShare("refused", ProtocolErrors.MALFORMED_REQUEST);
      return new Refusal(sessionId, ProtocolErrors.MALFORMED_REQUEST, INVALID_DETAIL);
    }
    log.error("round 2 of session {} failed", sessionId, cause);
    metrics.batchedShare("failed", null);
    return new Refusal(sessionId, ErrorCodes.INTERNAL, INTERNAL_DETAIL);
  }
}
