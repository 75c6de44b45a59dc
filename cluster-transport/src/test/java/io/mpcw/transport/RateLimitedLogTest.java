package io.mpcw.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong nanos = new AtomicLong();
  private final RateLimitedLog lines =
      new RateLimitedLog(
          LoggerFactory.getLogger(RateLimitedLogTest.class),
          "test",
          3,
          Duration.ofMinutes(1),
          registry,
          nanos::get);

  @Test
  void countsLinesBeyondTheWindowsAllowanceInsteadOfWritingThem() {
    for (int i = 0; i < 10; i++) {
      lines.info("line {}", i);
    }

    assertThat(suppressed()).isEqualTo(7);
  }

  @Test
  void writesAgainOnceTheWindowHasPassed() {
    for (int i = 0; i < 5; i++) {
      lines.info("line {}", i);
    }
    nanos.addAndGet(Duration.ofMinutes(1).toNanos());
    for (int i = 0; i < 3; i++) {
      lines.info("line {}", i);
    }

    assertThat(suppressed()).isEqualTo(2);
  }

  private double suppressed() {
    return registry.get("log_lines_suppressed_total").tag("category", "test").counter().count();
  }
}
