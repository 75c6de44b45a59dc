package io.mpcw.orchestrator.security;

import io.mpcw.crypto.hash.Sha256;
import io.mpcw.orchestrator.config.ApiProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/** The configured API keys, known only by their SHA-256. */
@Component
public class ApiKeyRegistry {
  private static final String BEARER = "Bearer ";
  private final List<ApiProperties.Key> keys;

  public ApiKeyRegistry(ApiProperties properties) {
    for (ApiProperties.Key key : properties.keys()) {
      if (key.sha256() == null || !key.sha256().matches("[0-9a-fA-F]{64}") || key.role() == null) {
        throw new IllegalArgumentException(
            "mpcw.api.keys entry '" + key.name() + "' needs a role and a 64-hex-digit sha256");
      }
    }
    this.keys = properties.keys();
  }

  /**
   * The key an {@code Authorization: Bearer <key>} header presents, when it is a configured one.
   */
  public Optional<ApiProperties.Key> authenticate(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    return authenticate(header.substring(BEARER.length()).trim());
  }

  /** Finds the key whose hash matches, comparing every configured hash in constant time. */
  public Optional<ApiProperties.Key> authenticate(String presentedKey) {
    byte[] presented = sha256(presentedKey);
    ApiProperties.Key match = null;
    for (ApiProperties.Key key : keys) {
      byte[] expected = HexFormat.of().parseHex(key.sha256().toLowerCase(Locale.ROOT));
      if (MessageDigest.isEqual(presented, expected)) {
        match = key;
      }
    }
    return Optional.ofNullable(match);
  }

  public static byte[] sha256(String value) {
    return Sha256.of(value.getBytes(StandardCharsets.UTF_8));
  }
}
