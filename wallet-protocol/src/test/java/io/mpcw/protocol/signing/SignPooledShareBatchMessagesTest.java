package io.mpcw.protocol.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolMessages;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SignPooledShareBatchMessagesTest {

  @Test
  void aBatchAnswerOfSharesAndRefusalsDecodesAsItWasEncoded() {
    SignPooledShareBatchResponse response =
        new SignPooledShareBatchResponse(
            List.of(
                new SignPooledShareResponse(UUID.randomUUID(), "node-2", List.of("ab"), List.of())),
            List.of(
                new SignPooledShareBatchResponse.Refusal(
                    UUID.randomUUID(), ProtocolErrors.NOT_APPROVED, "2 valid approvals")));

    byte[] encoded = ProtocolMessages.encode(response);

    assertThat(ProtocolMessages.decode(encoded, SignPooledShareBatchResponse.class))
        .isEqualTo(response);
  }

  @Test
  void aRefusalWithoutItsCodeDoesNotDecode() {
    String noCode =
        "{\"signed\":[],\"refused\":[{\"session_id\":\""
            + UUID.randomUUID()
            + "\",\"detail\":\"\"}]}";
    assertThatThrownBy(
            () ->
                ProtocolMessages.decode(
                    noCode.getBytes(StandardCharsets.UTF_8), SignPooledShareBatchResponse.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("error");
  }
}
