package io.mpcw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.launcher.bench.OpenLoopBench;
import io.mpcw.launcher.chaos.ChaosCommand;
import io.mpcw.launcher.simulate.SimulateCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class MpcwCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  /** The command object {@code args} bind to, without running it. */
  @SuppressWarnings("unchecked")
  private static <T> T bound(String... args) {
    CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args);
    while (parsed.hasSubcommand()) {
      parsed = parsed.subcommand();
    }
    return (T) parsed.commandSpec().userObject();
  }

  @Test
  void anUnknownOptionIsAUsageErrorNamingIt() {
    assertThat(run("status", "--bogus")).isEqualTo(2);

    assertThat(err.toString()).contains("Unknown option: '--bogus'").contains("Usage: mpcw status");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    assertThat(run("launch")).isEqualTo(2);

    assertThat(err.toString()).contains("launch");
  }

  @Test
  void noCommandPrintsTheCommandsAsAUsageError() {
    assertThat(run()).isEqualTo(2);

    assertThat(err.toString()).contains("up").contains("chaos").contains("Exit codes:");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "up",
        "down",
        "status",
        "pki",
        "etcd-auth",
        "fund",
        "demo",
        "bench",
        "simulate",
        "chaos",
        "fuzz"
      })
  void helpOnEveryCommandPrintsItsUsageAndSucceeds(String command) {
    assertThat(run(command, "--help")).isEqualTo(0);

    assertThat(out.toString()).contains("Usage: mpcw " + command).contains("Exit codes:");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void helpOnTheTopCommandListsEveryCommandButTheInternalOne() {
    assertThat(run("--help")).isEqualTo(0);

    assertThat(out.toString())
        .contains("up", "down", "status", "pki", "etcd-auth", "fund", "demo", "bench")
        .contains("simulate", "chaos", "fuzz")
        .doesNotContain("infra");
    assertThat(run("help", "pki", "init")).isEqualTo(0);
  }

  @Test
  void pkiWithoutInitIsAUsageError() {
    assertThat(run("pki")).isEqualTo(2);

    assertThat(err.toString()).contains("init");
  }

  @Test
  void aValueOutOfRangeIsAUsageErrorNamingTheOption() {
    assertThat(run("fuzz", "--requests", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--requests takes a whole number from 1 to 1000000");

    assertThat(run("up", "--nodes", "21")).isEqualTo(2);
    assertThat(err.toString()).contains("--nodes takes a whole number from 1 to 20");

    assertThat(run("chaos", "--scenarios", "slow-signer,meteor")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown scenario meteor");

    assertThat(run("bench", "--seconds", "soon")).isEqualTo(2);
    assertThat(err.toString()).contains("--seconds").contains("soon");
  }

  @Test
  void upBindsNodesAndFresh() {
    ClusterCommands.Up up = bound("up", "--nodes", "3", "--fresh");

    assertThat(up.nodes.nodes).isEqualTo(3);
    assertThat(up.fresh).isTrue();
    assertThat(((ClusterCommands.Up) bound("up")).fresh).isFalse();
  }

  @Test
  void pkiInitBindsNodes() {
    ClusterCommands.Pki.Init init = bound("pki", "init", "--nodes", "7");

    assertThat(init.nodes.nodes).isEqualTo(7);
  }

  @Test
  void fundBindsItsPayeeAmountAndOutputs() {
    PaymentCommands.Fund fund = bound("fund", "default", "500000", "--outputs", "4");

    assertThat(fund.address).isEqualTo("default");
    assertThat(fund.sats).isEqualTo(500_000);
    assertThat(fund.outputs).isEqualTo(4);
    assertThat(((PaymentCommands.Fund) bound("fund", "bcrt1qxyz", "1000")).outputs).isEqualTo(1);
  }

  @Test
  void fundWithoutItsAmountIsAUsageError() {
    assertThat(run("fund", "default")).isEqualTo(2);

    assertThat(err.toString()).contains("<sats>");
  }

  @Test
  void benchBindsTheOpenAndTheClosedLoopsOptions() {
    PaymentCommands.Bench open =
        bound(
            "bench",
            "--rate",
            "4",
            "--seconds",
            "10",
            "--until",
            "confirmed",
            "--coins",
            "60",
            "--amount",
            "20000",
            "--drain",
            "30",
            "--idle",
            "2",
            "--faulty-signer",
            "slow",
            "--nodes",
            "5");
    OpenLoopBench.Options options = open.openLoop();

    assertThat(options.count()).isEqualTo(40);
    assertThat(options.until()).isEqualTo("confirmed");
    assertThat(options.coins()).isEqualTo(60);
    assertThat(options.amountSats()).isEqualTo(20_000);
    assertThat(options.drain()).hasSeconds(30);
    assertThat(options.idle()).hasSeconds(2);
    assertThat(options.faultySigner()).contains("slow");
    assertThat(open.nodes).isEqualTo(5);

    PaymentCommands.Bench closed =
        bound(
            "bench",
            "--closed-loop",
            "--clients",
            "8",
            "--payments",
            "100",
            "--amount",
            "600",
            "--dkg",
            "0");
    assertThat(closed.closedLoop).isTrue();
    assertThat(List.of(closed.clients, closed.payments, closed.amount, closed.dkg))
        .containsExactly(8, 100, 600, 0);
  }

  @Test
  void simulateBindsItsPlan() {
    SuiteCommands.Simulate simulate =
        bound(
            "simulate",
            "--nodes",
            "4",
            "--faulty",
            "1",
            "--rounds",
            "2",
            "--threshold",
            "3",
            "--modes",
            "bad-share",
            "--seed",
            "11",
            "--keep");
    SimulateCommand.Plan plan = simulate.plan();

    assertThat(plan.nodes()).isEqualTo(4);
    assertThat(plan.faulty()).isEqualTo(1);
    assertThat(plan.rounds()).isEqualTo(2);
    assertThat(plan.threshold()).isEqualTo(3);
    assertThat(plan.modes().values()).containsExactly("bad-share");
    assertThat(plan.seed()).isEqualTo(11);
    assertThat(simulate.keep).isTrue();
  }

  @Test
  void simulateRefusesAnUnknownModeAndMoreFaultyThanNodes() {
    SuiteCommands.Simulate unknown = bound("simulate", "--modes", "bad-share,meteor");
    assertThatThrownBy(unknown::plan)
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("unknown fault mode meteor");

    SuiteCommands.Simulate tooMany = bound("simulate", "--nodes", "3", "--faulty", "4");
    assertThatThrownBy(tooMany::plan).hasMessageContaining("--faulty takes a whole number from 0");
  }

  @Test
  void chaosBindsScenariosSeedAndKeep() {
    SuiteCommands.Chaos chaos =
        bound("chaos", "--scenarios", "slow-signer,postgres-restart", "--seed", "7", "--keep");

    assertThat(chaos.scenarios).containsExactly("slow-signer", "postgres-restart");
    assertThat(chaos.seed).isEqualTo(7);
    assertThat(chaos.keep).isTrue();
    assertThat(((SuiteCommands.Chaos) bound("chaos")).scenarios).isEqualTo(ChaosCommand.SCENARIOS);
  }

  @Test
  void fuzzBindsRequestsQuicAndSeed() {
    SuiteCommands.Fuzz fuzz = bound("fuzz", "--requests", "200", "--quic", "0", "--seed", "-5");

    assertThat(fuzz.requests).isEqualTo(200);
    assertThat(fuzz.quic).isZero();
    assertThat(fuzz.seed).isEqualTo(-5L);
  }
}
