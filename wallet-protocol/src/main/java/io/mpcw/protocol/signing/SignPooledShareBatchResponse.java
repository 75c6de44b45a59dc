package io.mpcw.protocol.signing;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A signer's answers to a {@link SignPooledShareBatchRequest} (transport message type {@value
 * #TYPE}): every session asked is in exactly one of the two lists, named by its session id.
 *
 * @param signed the sessions signed, each as {@code sign.share.reply.v2} carries it
 * @param refused the sessions refused, each with the error code and detail a lone request would
 *     have been answered with
 */
public record SignPooledShareBatchResponse(
    List<SignPooledShareResponse> signed, List<Refusal> refused) {
  public static final String TYPE = "sign.share.batch.reply.v1";

  public SignPooledShareBatchResponse {
    signed = List.copyOf(Objects.requireNonNull(signed, "signed"));
    refused = List.copyOf(Objects.requireNonNull(refused, "refused"));
  }

  /** One session refused: what a lone {@code sign.share.v2} would have been answered with. */
  public record Refusal(UUID sessionId, String error, String detail) {
    public Refusal {
      Objects.requireNonNull(sessionId, "session_id");
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
