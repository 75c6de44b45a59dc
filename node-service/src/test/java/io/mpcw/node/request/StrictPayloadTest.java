package io.mpcw.node.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.node.request.StrictPayload.MalformedPayloadException;
import io.mpcw.node.vote.Payments;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VoteRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Exactly one strict UTF-8 JSON object, and refusals that name the problem without the input. */
class StrictPayloadTest {

  private static final String VALID = new String(vote(), StandardCharsets.UTF_8);

  private static byte[] vote() {
    return VoteMessages.encode(Payments.payment(1_000));
  }

  private static String refusal(byte[] payload) {
    try {
      StrictPayload.decode(payload, VoteRequest.class, VoteRequest.TYPE, VoteMessages::decode);
    } catch (MalformedPayloadException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + new String(payload, StandardCharsets.UTF_8));
  }

  private static String refusal(String payload) {
    return refusal(payload.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void acceptsOneValidDocument() {
    assertThat(
            StrictPayload.decode(vote(), VoteRequest.class, VoteRequest.TYPE, VoteMessages::decode)
                .amountSats())
        .isEqualTo(1_000);
  }

  @Test
  void refusesTrailingGarbage() {
    assertThat(refusal(VALID + "garbage")).contains("exactly one JSON document");
  }

  @Test
  void refusesTwoConcatenatedDocuments() {
    assertThat(refusal(VALID + VALID)).contains("exactly one JSON document");
  }

  @Test
  void refusesAByteOrderMark() {
    byte[] body = vote();
    byte[] withBom = new byte[body.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(body, 0, withBom, 3, body.length);

    assertThat(refusal(withBom)).contains("byte-order mark");
  }

  @Test
  void refusesUtf16() {
    assertThat(refusal(VALID.getBytes(StandardCharsets.UTF_16LE))).isEqualTo("malformed JSON");
    assertThat(refusal(VALID.getBytes(StandardCharsets.UTF_16))).contains("UTF-8");
  }

  @Test
  void refusesBytesThatAreNotUtf8() {
    assertThat(refusal(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'}))
        .isEqualTo("payload is not valid UTF-8");
  }

  @Test
  void refusesAFieldGivenTwice() {
    assertThat(refusal("{\"metadata\":\"a\",\"metadata\":\"b\"}"))
        .isEqualTo("duplicate field metadata");
  }

  @Test
  void refusesAnythingButAnObject() {
    assertThat(refusal("[1,2]")).isEqualTo("payload must be one JSON object");
    assertThat(refusal("\"text\"")).isEqualTo("payload must be one JSON object");
  }

  @Test
  void refusesDeepNestingWithoutTheLibrarysWords() {
    String deep = "{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";

    assertThat(refusal(deep)).startsWith("malformed JSON");
  }

  @Test
  void namesAnUnknownFieldButNotAHostileName() {
    assertThat(refusal(VALID.replaceFirst("\\{", "{\"colour\":1,")))
        .isEqualTo("unknown field colour");
    String hostile = "x".repeat(5_000) + "<script>";
    assertThat(refusal(VALID.replaceFirst("\\{", "{\"" + hostile + "\":1,")))
        .isEqualTo("unknown field");
  }

  @Test
  void namesAMissingField() {
    assertThat(refusal("{\"tx_id\":\"" + java.util.UUID.randomUUID() + "\"}"))
        .isEqualTo("missing field wallet_id");
  }

  @Test
  void namesTheFieldOfAWrongTypeWithoutClassNames() {
    String reason = refusal(VALID.replaceFirst("\"amount_sats\":1000", "\"amount_sats\":\"many\""));

    assertThat(reason).isEqualTo("field amount_sats has a value of the wrong type");
  }

  @Test
  void neverRepeatsTheInputNorJavaClassNames() {
    String marker = "QZX9FUZZ" + "7".repeat(300);
    for (String payload :
        new String[] {
          VALID.replaceFirst("\"amount_sats\":1000", "\"amount_sats\":\"" + marker + "\""),
          VALID.replaceFirst("\"tx_id\":\"[^\"]*\"", "\"tx_id\":\"" + marker + "\""),
          VALID.replaceFirst("\"metadata\":\"[^\"]*\"", "\"metadata\":[\"" + marker + "\"]"),
          "{\"" + marker + "\":1}",
          marker,
          "{\"tx_id\":" + marker + "}",
        }) {
      String reason = refusal(payload);
      assertThat(reason)
          .doesNotContain("QZX9FUZZ")
          .doesNotContain("io.mpcw")
          .doesNotContain("java.")
          .doesNotContain("Exception")
          .hasSizeLessThan(200);
    }
  }
}
