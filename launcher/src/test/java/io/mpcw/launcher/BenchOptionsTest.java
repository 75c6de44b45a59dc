package io.mpcw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.launcher.bench.OpenLoopBench;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./mpcw bench}: how the command line binds and checks the open loop's options. */
class BenchOptionsTest {
  /** The open loop's options as {@code ./mpcw bench <args>} binds and checks them. */
  private static OpenLoopBench.Options bench(String... args) {
    CommandLine line = Main.commandLine();
    CommandLine.ParseResult parsed =
        line.parseArgs(
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.of("bench"), java.util.Arrays.stream(args))
                .toArray(String[]::new));
    return ((PaymentCommands.Bench) parsed.subcommand().commandSpec().userObject()).openLoop();
  }

  @Test
  void optionsDefaultToOneCoinPerPaymentWithAMargin() {
    OpenLoopBench.Options o = bench("--rate", "2.5", "--seconds", "40");

    assertThat(o.count()).isEqualTo(100);
    assertThat(o.coins()).isEqualTo(115);
    assertThat(o.until()).isEqualTo("signed");
  }

  @Test
  void allSignersStayAsStartedUnlessAFaultySignerIsAsked() {
    assertThat(bench("--rate", "5").faultySigner()).isEmpty();
    assertThat(bench("--rate", "5", "--faulty-signer", "slow").faultySigner()).contains("slow");
  }

  @Test
  void aFaultySignerModeOutsideTheFiveIsRefused() {
    assertThatThrownBy(() -> bench("--faulty-signer", "reject-all"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--faulty-signer")
        .hasMessageContaining("withhold-share");
    assertThatThrownBy(() -> bench("--faulty-signer"))
        .isInstanceOf(CommandLine.ParameterException.class);
  }

  @Test
  void anUnknownTargetStateIsRefused() {
    assertThatThrownBy(() -> bench("--until", "approved"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--until");
  }

  @Test
  void aRateOutsideItsBoundsIsRefused() {
    assertThatThrownBy(() -> bench("--rate", "500"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--rate");
    assertThatThrownBy(() -> bench("--rate", "fast"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--rate");
  }

  @Test
  void moreThanTwentyThousandPaymentsAreRefused() {
    assertThatThrownBy(() -> bench("--rate", "100", "--seconds", "600"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("20000");
  }
}
