package io.mpcw.orchestrator.transaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.math.BigDecimal;
import java.util.UUID;

/** Body of {@code POST /api/v1/transactions}; unknown fields are refused by the JSON reader. */
public record CreateTransactionRequest(
    UUID walletId,
    String recipient,
    Long amountSats,
    BigDecimal feeRateSatVb,
    @JsonDeserialize(using = MetadataDeserializer.class) JsonNode metadata) {

  boolean hasMetadata() {
    return metadata != null && !metadata.isNull() && !metadata.isMissingNode();
  }
}
