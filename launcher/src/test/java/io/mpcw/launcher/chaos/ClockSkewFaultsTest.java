package io.mpcw.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The clock scenarios' means: a JVM under libfaketime, and reading a skew from outside. */
class ClockSkewFaultsTest {

  @Test
  void aJvmStartedWithTheSkewedEnvironmentIsThirtySecondsAheadAndItsTimedWaitsStillWait()
      throws Exception {
    Path library = ClockSkewFaults.libfaketime().orElse(null);
    assumeTrue(library != null, "libfaketime not installed (apt-get install -y faketime)");

    long[] ahead = probe(ClockSkewFaults.skewedEnvironment(library, Duration.ofSeconds(30)));
    long[] behind = probe(ClockSkewFaults.skewedEnvironment(library, Duration.ofSeconds(-30)));

    // the wall clock moved by about the skew (the JVM's start takes a moment on this machine)
    assertThat(ahead[0]).isBetween(25_000L, 40_000L);
    assertThat(behind[0]).isBetween(-35_000L, -20_000L);
    // four 50-ms parks lasted at least 200 ms: they did not return at once (they do with
    // FAKETIME_DONT_FAKE_MONOTONIC=1, which made a skewed service spin and start in minutes)
    assertThat(ahead[1]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(190));
    assertThat(behind[1]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(190));
  }

  @Test
  void theOffsetOfAProcessIsReadFromItsDateHeader() {
    Instant now = Instant.parse("2026-12-05T02:00:00Z");

    assertThat(ClockSkewFaults.offset("Sat, 05 Dec 2026 02:00:30 GMT", now))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(ClockSkewFaults.offset("Sat, 05 Dec 2026 01:59:30 GMT", now))
        .isEqualTo(Duration.ofSeconds(-30));
  }

  @Test
  void theEnvironmentPreloadsTheLibraryAndSignsTheOffset() {
    Path library = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

    assertThat(ClockSkewFaults.skewedEnvironment(library, Duration.ofSeconds(-30)))
        .containsEntry("LD_PRELOAD", library.toString())
        .containsEntry("FAKETIME", "-30s")
        .doesNotContainKey("FAKETIME_DONT_FAKE_MONOTONIC");
    assertThat(ClockSkewFaults.skewedEnvironment(library, Duration.ofSeconds(30)))
        .containsEntry("FAKETIME", "+30s");
  }

  @Test
  void anUnknownClockScenarioIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ClockSkewFaults.of("clock-sideways-node", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clock-sideways-node");
  }

  /** {@code [wall clock minus this JVM's, nanoseconds the parks took]} of a probe JVM. */
  private static long[] probe(Map<String, String> env) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xshare:auto",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ClockProbe.class.getName()))
            .redirectErrorStream(true);
    builder.environment().putAll(env);
    long before = System.currentTimeMillis();
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String[] parts = out.lines().reduce((a, b) -> b).orElse("").split(" ");
    assertThat(parts).as(out).hasSize(2);
    return new long[] {Long.parseLong(parts[0]) - before, Long.parseLong(parts[1])};
  }
}
