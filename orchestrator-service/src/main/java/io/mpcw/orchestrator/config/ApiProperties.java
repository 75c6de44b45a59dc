package io.mpcw.orchestrator.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API keys. Only SHA-256 hashes are configured, so the orchestrator never holds a key in clear.
 *
 * @param keys the accepted keys: name, role (submit or read) and the key's SHA-256 in hex
 * @param maxMetadataBytes largest accepted {@code metadata} value, as compact JSON
 * @param defaultFeeRateSatVb fee rate of a payment that names none
 * @param maxBodyBytes largest accepted request body on {@code /api/**}; larger answers 413
 */
@ConfigurationProperties("mpcw.api")
public record ApiProperties(
    List<Key> keys,
    @DefaultValue("4096") int maxMetadataBytes,
    @DefaultValue("2") java.math.BigDecimal defaultFeeRateSatVb,
    @DefaultValue("65536") int maxBodyBytes) {

  public ApiProperties {
    keys = keys == null ? List.of() : List.copyOf(keys);
  }

  /**
   * @param name shown in logs and in the history's actor column
   * @param role what the key may do
   * @param sha256 lowercase hex SHA-256 of the key
   */
  public record Key(String name, ApiRole role, String sha256) {}
}
