package io.mpcw.registry.auth;

import io.mpcw.registry.RegistryProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The one place that decides whether a caller is a cluster member: it holds the shared bearer
 * token. Certificate-based node identity replaces this class later.
 */
@Component
public class ClusterTokenVerifier {
  private static final String BEARER = "Bearer ";
  private final byte[] expected;

  public ClusterTokenVerifier(RegistryProperties properties) {
    this.expected = properties.clusterToken().getBytes(StandardCharsets.UTF_8);
  }

  /** True when the {@code Authorization} header carries the cluster token. */
  public boolean isClusterMember(Optional<String> authorization) {
    return authorization
        .filter(header -> header.regionMatches(true, 0, BEARER, 0, BEARER.length()))
        .map(header -> header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8))
        // constant time, so response timing does not reveal how much of a guess was right
        .map(presented -> MessageDigest.isEqual(expected, presented))
        .orElse(false);
  }
}
