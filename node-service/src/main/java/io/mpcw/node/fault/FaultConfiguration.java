package io.mpcw.node.fault;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

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

  /**
   * The timer is no bean: a {@link ScheduledExecutorService} bean would become the scheduler of
   * every {@code @Scheduled} method in the node.
   */
  @Bean(destroyMethod = "close")
  SigningFaults signingFaults(ByzantineMode mode, FaultProperties properties) {
    CustomizableThreadFactory threads = new CustomizableThreadFactory("mpcw-slow-signer-");
    threads.setDaemon(true);
    ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1, threads);
    return new SigningFaults(mode, properties.slowSignerDelay(), timer);
  }
}
