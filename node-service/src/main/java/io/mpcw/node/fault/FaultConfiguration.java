package io.mpcw.node.fault;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Resolves the fault switch once, refusing it without the fault-injection profile and making it
 * impossible to miss.
 */
@Configuration(proxyBeanMethods = false)
class FaultConfiguration {

  private static final Logger log = LoggerFactory.getLogger(FaultConfiguration.class);

  @Bean
  ByzantineMode byzantineMode(FaultProperties properties, Environment environment) {
    return FaultSwitch.check(
        properties.byzantine(), environment.acceptsProfiles(Profiles.of(FaultSwitch.PROFILE)), log);
  }
}
