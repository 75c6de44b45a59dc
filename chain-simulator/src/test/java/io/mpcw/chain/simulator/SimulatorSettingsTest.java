package io.mpcw.chain.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.address.Network;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorSettingsTest {

  @Test
  void defaultsSuitALocalCluster() {
    SimulatorSettings settings = SimulatorSettings.parse(List.of(), Map.of());

    assertThat(settings.bind()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isEqualTo(18443);
    assertThat(settings.blockInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.network()).isEqualTo(Network.REGTEST);
    assertThat(settings.dataDir()).isEmpty();
    assertThat(settings.user()).isEmpty();
  }

  @Test
  void readsEnvironmentAndFlagsWin() {
    Map<String, String> env =
        Map.of(
            "MPCW_CHAIN_RPC_PORT", "19000",
            "MPCW_CHAIN_RPC_USER", "env-user",
            "MPCW_CHAIN_RPC_PASSWORD", "env-pass",
            "MPCW_CHAIN_DATA_DIR", "/tmp/chain",
            "MPCW_CHAIN_BLOCK_INTERVAL", "500ms",
            "MPCW_CHAIN_NETWORK", "signet");

    SimulatorSettings settings =
        SimulatorSettings.parse(List.of("--port", "19001", "--rpc-user=flag-user"), env);

    assertThat(settings.port()).isEqualTo(19001);
    assertThat(settings.user()).contains("flag-user");
    assertThat(settings.password()).contains("env-pass");
    assertThat(settings.dataDir()).contains(Path.of("/tmp/chain"));
    assertThat(settings.blockInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.network()).isEqualTo(Network.SIGNET);
  }

  @Test
  void parsesBlockIntervals() {
    assertThat(SimulatorSettings.duration("0")).isZero();
    assertThat(SimulatorSettings.duration("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(SimulatorSettings.duration("3")).isEqualTo(Duration.ofSeconds(3));
    assertThat(SimulatorSettings.duration("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(SimulatorSettings.duration("PT0.25S")).isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> SimulatorSettings.duration("fast"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesUnknownFlagsMissingValuesAndHalfCredentials() {
    assertThatThrownBy(() -> SimulatorSettings.parse(List.of("--verbose"), Map.of()))
        .hasMessageContaining("unknown option");
    assertThatThrownBy(() -> SimulatorSettings.parse(List.of("--port"), Map.of()))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> SimulatorSettings.parse(List.of("--rpc-user", "u"), Map.of()))
        .hasMessageContaining("both");
    assertThatThrownBy(() -> SimulatorSettings.parse(List.of("--network", "moon"), Map.of()))
        .hasMessageContaining("unknown network");
  }
}
