package io.mpcw.orchestrator.dkg;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/** Key generations the orchestrator coordinated. */
@Component
class DkgMetrics {
  private final MeterRegistry registry;
  private final Timer duration;

  DkgMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.duration =
        Timer.builder("orchestration_dkg_duration_seconds")
            .description("Time of one distributed key generation, all three rounds, any outcome")
            .register(registry);
  }

  Timer.Sample start() {
    return Timer.start(registry);
  }

  /**
   * @param outcome {@code ready}, {@code failed} or {@code unavailable}
   */
  void finished(Timer.Sample sample, String outcome) {
    sample.stop(duration);
    Counter.builder("orchestration_dkg_total")
        .description("Distributed key generations by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
