package io.mpcw.orchestrator.api.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.crypto.address.AddressFormatException;
import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.orchestrator.config.ApiProperties;
import io.mpcw.orchestrator.config.ClusterProperties;
import io.mpcw.types.problem.FieldError;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** Checks a payment request field by field and reports every field at fault at once. */
@Component
class TransactionRequestValidator {
  static final long MIN_AMOUNT_SATS = 546;
  static final long MAX_AMOUNT_SATS = 2_100_000_000_000_000L;
  private static final BigDecimal MAX_FEE_RATE = BigDecimal.valueOf(10_000);

  private final Network network;
  private final ObjectMapper json;
  private final int maxMetadataBytes;

  TransactionRequestValidator(ClusterProperties cluster, ApiProperties api, ObjectMapper json) {
    this.network = Network.parse(cluster.network());
    this.json = json;
    this.maxMetadataBytes = api.maxMetadataBytes();
  }

  List<FieldError> validate(CreateTransactionRequest request) {
    if (request.psbt() != null) {
      return validatePsbtRequest(request);
    }
    List<FieldError> errors = new ArrayList<>();
    if (request.recipient() == null || request.recipient().isBlank()) {
      errors.add(new FieldError("recipient", "is required"));
    } else {
      try {
        SegwitAddress.decode(request.recipient(), network);
      } catch (AddressFormatException e) {
        errors.add(new FieldError("recipient", e.getMessage()));
      }
    }
    if (request.amountSats() == null) {
      errors.add(new FieldError("amount_sats", "is required"));
    } else if (request.amountSats() < MIN_AMOUNT_SATS || request.amountSats() > MAX_AMOUNT_SATS) {
      errors.add(
          new FieldError(
              "amount_sats",
              "must be between " + MIN_AMOUNT_SATS + " and " + MAX_AMOUNT_SATS + " satoshis"));
    }
    BigDecimal fee = request.feeRateSatVb();
    if (fee != null
        && (fee.signum() <= 0
            || fee.compareTo(MAX_FEE_RATE) > 0
            || fee.stripTrailingZeros().scale() > 3)) {
      errors.add(
          new FieldError(
              "fee_rate_sat_vb", "must be above 0 and at most 10000, with at most 3 decimals"));
    }
    if (request.hasMetadata() && metadataBytes(request) > maxMetadataBytes) {
      errors.add(
          new FieldError("metadata", "must be at most " + maxMetadataBytes + " bytes as JSON"));
    }
    return errors;
  }

  /** A PSBT carries the recipient, amount and fee itself: they must not come twice. */
  private List<FieldError> validatePsbtRequest(CreateTransactionRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request.psbt().isBlank()) {
      errors.add(new FieldError("psbt", "must be a Base64 PSBT"));
    }
    if (request.recipient() != null) {
      errors.add(
          new FieldError("recipient", "must be absent with psbt: the PSBT says whom it pays"));
    }
    if (request.amountSats() != null) {
      errors.add(new FieldError("amount_sats", "must be absent with psbt: the PSBT says how much"));
    }
    if (request.feeRateSatVb() != null) {
      errors.add(new FieldError("fee_rate_sat_vb", "must be absent with psbt: its fee is fixed"));
    }
    if (request.hasMetadata() && metadataBytes(request) > maxMetadataBytes) {
      errors.add(
          new FieldError("metadata", "must be at most " + maxMetadataBytes + " bytes as JSON"));
    }
    return errors;
  }

  private int metadataBytes(CreateTransactionRequest request) {
    try {
      return json.writeValueAsString(request.metadata()).getBytes(StandardCharsets.UTF_8).length;
    } catch (JsonProcessingException e) {
      return Integer.MAX_VALUE;
    }
  }
}
