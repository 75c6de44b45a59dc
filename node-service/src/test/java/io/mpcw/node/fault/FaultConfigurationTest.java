package io.mpcw.node.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

class FaultConfigurationTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(FaultProperties.class)
  @Import(FaultConfiguration.class)
  static class Faults {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withUserConfiguration(Faults.class);

  @Test
  void nodeIsHonestByDefault() {
    runner.run(
        context -> assertThat(context.getBean(ByzantineMode.class)).isEqualTo(ByzantineMode.NONE));
  }

  @Test
  void bindsTheFaultSwitchFromItsConfigurationSpelling() {
    runner
        .withPropertyValues(
            "mpcw.node.byzantine=wrong-digest", "spring.profiles.active=fault-injection")
        .run(
            context ->
                assertThat(context.getBean(ByzantineMode.class))
                    .isEqualTo(ByzantineMode.WRONG_DIGEST));
  }

  @Test
  void slowSignerWaitsTwoSecondsUnlessConfiguredOtherwise() {
    runner
        .withPropertyValues(
            "mpcw.node.byzantine=slow-signer", "spring.profiles.active=fault-injection")
        .run(
            context ->
                assertThat(context.getBean(FaultProperties.class).slowSignerDelay())
                    .isEqualTo(Duration.ofSeconds(2)));
    runner
        .withPropertyValues(
            "mpcw.node.byzantine=slow-signer",
            "mpcw.node.slow-signer-delay=750ms",
            "spring.profiles.active=fault-injection")
        .run(
            context -> {
              assertThat(context.getBean(ByzantineMode.class)).isEqualTo(ByzantineMode.SLOW_SIGNER);
              assertThat(context.getBean(FaultProperties.class).slowSignerDelay())
                  .isEqualTo(Duration.ofMillis(750));
            });
  }

  @Test
  void refusesANegativeSlowSignerDelay() {
    runner
        .withPropertyValues("mpcw.node.slow-signer-delay=-1s")
        .run(context -> assertThat(context).hasFailed());
  }

  @Test
  void refusesToStartAWithholdingSignerWithoutTheFaultInjectionProfile() {
    runner
        .withPropertyValues("mpcw.node.byzantine=withhold-share")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("mpcw.node.byzantine=withhold-share"));
  }

  @Test
  void refusesToStartAFaultyNodeWithoutTheFaultInjectionProfile() {
    runner
        .withPropertyValues("mpcw.node.byzantine=reject-all")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("unless the Spring profile fault-injection is active"));
  }

  @Test
  void refusesToStartAFaultyNodeUnderAnyOtherProfile() {
    runner
        .withPropertyValues("mpcw.node.byzantine=reject-all", "spring.profiles.active=production")
        .run(context -> assertThat(context).hasFailed());
  }
}
