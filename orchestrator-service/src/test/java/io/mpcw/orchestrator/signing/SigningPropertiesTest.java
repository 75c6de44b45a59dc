package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SigningPropertiesTest {

  @Test
  void theSiblingGraceCeilingAdaptsUpToThreeSecondsByDefault() {
    SigningProperties defaults = bind(Map.of());

    assertThat(defaults.siblingGrace()).isEqualTo(Duration.ofMillis(300));
    assertThat(defaults.siblingGraceMax()).isEqualTo(Duration.ofSeconds(3));
    assertThat(defaults.siblingGraceMax()).isLessThan(defaults.requestDeadline());
  }

  @Test
  void siblingGraceMaxIsBoundFromItsKebabCaseName() {
    assertThat(bind(Map.of("mpcw.signing.sibling-grace-max", "1500ms")).siblingGraceMax())
        .isEqualTo(Duration.ofMillis(1_500));
  }

  @Test
  void refusesANegativeSiblingGraceMax() {
    assertThatThrownBy(() -> bind(Map.of("mpcw.signing.sibling-grace-max", "-1s")))
        .isInstanceOf(BindException.class)
        .rootCause()
        .hasMessageContaining("sibling-grace-max");
  }

  @Test
  void refusesANegativeSiblingGrace() {
    assertThatThrownBy(() -> bind(Map.of("mpcw.signing.sibling-grace", "-1ms")))
        .isInstanceOf(BindException.class)
        .rootCause()
        .hasMessageContaining("sibling-grace");
  }

  @Test
  void roundTwoRequestsCoalesceByDefaultAndCanBeSentEachAlone() {
    assertThat(bind(Map.of()).coalesce()).isTrue();
    assertThat(bind(Map.of("mpcw.signing.coalesce", "false")).coalesce()).isFalse();
  }

  private static SigningProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("mpcw.signing", SigningProperties.class);
  }
}
