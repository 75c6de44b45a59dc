package io.mpcw.registry.liveness;

import io.mpcw.registry.RegistryProperties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.transaction.TransactionException;

/** Runs the liveness sweep every {@code mpcw.registry.sweep-interval}. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class LivenessSchedule implements SchedulingConfigurer {
  private static final Logger log = LoggerFactory.getLogger(LivenessSchedule.class);

  private final LivenessSweeper sweeper;
  private final RegistryProperties properties;
  private final AtomicBoolean databaseDown = new AtomicBoolean();

  LivenessSchedule(LivenessSweeper sweeper, RegistryProperties properties) {
    this.sweeper = sweeper;
    this.properties = properties;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    registrar.addFixedDelayTask(this::sweepOnce, properties.sweepInterval());
  }

  // a database outage is reported once, not every second, and the next sweep simply tries again
  private void sweepOnce() {
    try {
      sweeper.sweep();
      if (databaseDown.compareAndSet(true, false)) {
        log.info("liveness sweep works again");
      }
    } catch (DataAccessException | TransactionException e) {
      if (databaseDown.compareAndSet(false, true)) {
        log.warn("liveness sweep failed, database unavailable: {}", e.getClass().getSimpleName());
      }
    }
  }
}
