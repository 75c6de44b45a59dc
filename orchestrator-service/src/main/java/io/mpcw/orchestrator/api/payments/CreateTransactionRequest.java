package io.mpcw.orchestrator.api.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * Body of {@code POST /api/v1/transactions}; unknown fields are refused by the JSON reader. Either
 * {@code recipient} and {@code amount_sats} (the orchestrator builds the transaction) or {@code
 * psbt}, a Base64 BIP-174 PSBT built elsewhere that carries both.
 */
public record CreateTransactionRequest(
    UUID walletId,
    String recipient,
    Long amountSats,
    BigDecimal feeRateSatVb,
    @JsonDeserialize(using = MetadataDeserializer.class) JsonNode metadata,
    String psbt) {

  public CreateTransactionRequest(
      UUID walletId,
      String recipient,
      Long amountSats,
      BigDecimal feeRateSatVb,
      JsonNode metadata) {
    this(walletId, recipient, amountSats, feeRateSatVb, metadata, null);
  }

  boolean hasMetadata() {
    return metadata != null && !metadata.isNull() && !metadata.isMissingNode();
  }
}
