package io.mpcw.orchestrator.signing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** Signing figures: whole successful signings, attempts by outcome, culprits found. */
@Component
class SigningMetrics {
  private final MeterRegistry meters;
  private final Timer duration;

  SigningMetrics(MeterRegistry meters) {
    this.meters = meters;
    this.duration =
        Timer.builder("orchestration_signing_duration_seconds")
            .description("time from entering signing to a verified signature")
            .publishPercentileHistogram()
            .register(meters);
  }

  void signed(Duration inStage) {
    duration.record(inStage);
  }

  void attempt(String outcome) {
    meters.counter("orchestration_signing_attempts_total", "outcome", outcome).increment();
  }

  void culprits(int count) {
    meters.counter("orchestration_signing_culprits_total").increment(count);
  }
}
