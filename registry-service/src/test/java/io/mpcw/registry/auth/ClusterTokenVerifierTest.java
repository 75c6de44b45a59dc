package io.mpcw.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.registry.RegistryProperties;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterTokenVerifierTest {
  private final ClusterTokenVerifier verifier =
      new ClusterTokenVerifier(
          new RegistryProperties(
              "s3cret-token",
              Duration.ofSeconds(10),
              Duration.ofSeconds(15),
              Duration.ofSeconds(1)));

  @Test
  void acceptsTheBearerTokenWhateverTheSchemeCase() {
    assertThat(verifier.isClusterMember(Optional.of("Bearer s3cret-token"))).isTrue();
    assertThat(verifier.isClusterMember(Optional.of("bearer s3cret-token"))).isTrue();
  }

  @Test
  void refusesMissingOtherOrPartialTokens() {
    assertThat(verifier.isClusterMember(Optional.empty())).isFalse();
    assertThat(verifier.isClusterMember(Optional.of("Bearer s3cret"))).isFalse();
    assertThat(verifier.isClusterMember(Optional.of("Bearer s3cret-token-2"))).isFalse();
    assertThat(verifier.isClusterMember(Optional.of("s3cret-token"))).isFalse();
    assertThat(verifier.isClusterMember(Optional.of("Bearer"))).isFalse();
  }
}
