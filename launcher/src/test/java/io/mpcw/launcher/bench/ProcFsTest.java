package io.mpcw.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcFsTest {
  @Test
  void ticksAreUtimeStimeAndReapedChildrenEvenWhenTheCommandHoldsSpacesAndParentheses() {
    // fields 14-17 (utime stime cutime cstime) are 11 22 33 44
    String line =
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 9 0 0 0 11 22 33 44 20 0 31 0 7 1 2 3";

    assertThat(ProcFs.cpuTicks(line)).isEqualTo(11 + 22 + 33 + 44);
  }

  @Test
  void aThreadsTicksAreItsUtimeAndStimeOnly() {
    String line =
        "4243 (C2 CompilerThre) S 1 4242 4242 0 -1 4194560 9 0 0 0 11 22 33 44 20 0 31 0 7 1 2 3";

    assertThat(ProcFs.threadTicks(line)).isEqualTo(11 + 22);
  }

  @Test
  void onlyHotSpotsCompilerThreadsCountAsJit() {
    assertThat(ProcFs.isJitThread("C2 CompilerThre")).isTrue();
    assertThat(ProcFs.isJitThread("C1 CompilerThre")).isTrue();
    assertThat(ProcFs.isJitThread("pipeline-signin")).isFalse();
    assertThat(ProcFs.isJitThread("VM Thread")).isFalse();
  }

  @Test
  void thisJvmHasCompilerThreadsWithTicks() {
    // this test JVM has compiled the test framework by now; a process that is not a JVM has none
    assertThat(ProcFs.jitTicks(ProcessHandle.current().pid())).isPositive();
    assertThat(ProcFs.jitTicks(Long.MAX_VALUE)).isZero();
  }

  @Test
  void aLineWithoutCommandIsRefused() {
    assertThatThrownBy(() -> ProcFs.cpuTicks("4242 S 1 2 3"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void thisProcessesTicksGrowWhenItComputes() {
    long before = ProcFs.cpuTicks(ProcessHandle.current().pid()).orElseThrow();
    long after = before;
    long sink = 0;
    for (int round = 0; round < 10_000 && after == before; round++) {
      for (int i = 0; i < 1_000_000; i++) {
        sink += Long.rotateLeft(sink ^ i, 7);
      }
      after = ProcFs.cpuTicks(ProcessHandle.current().pid()).orElseThrow();
    }

    assertThat(after).as("sink %d", sink).isGreaterThan(before);
  }

  @Test
  void aProcessThatIsGoneHasNoTicks() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();

    assertThat(ProcFs.cpuTicks(p.pid())).isEmpty();
  }

  @Test
  void theJvmOptionsAreWhatStandsBetweenJavaAndTheJar() {
    assertThat(
            ProcFs.jvmOptions(
                List.of("/usr/bin/java", "-Xmx384m", "-XX:+UseSerialGC", "-jar", "a.jar", "-x")))
        .containsExactly("-Xmx384m", "-XX:+UseSerialGC");
  }

  @Test
  void theEnvironmentOfThisProcessIsReadFromProc() {
    assertThat(ProcFs.environment(ProcessHandle.current().pid()))
        .containsEntry("PATH", System.getenv("PATH"));
  }
}
