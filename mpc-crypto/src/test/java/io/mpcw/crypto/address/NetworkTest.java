package io.mpcw.crypto.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NetworkTest {

  @Test
  void mapsEachNetworkToItsSegwitPrefix() {
    assertThat(Network.MAINNET.hrp()).isEqualTo("bc");
    assertThat(Network.TESTNET.hrp()).isEqualTo("tb");
    assertThat(Network.SIGNET.hrp()).isEqualTo("tb");
    assertThat(Network.REGTEST.hrp()).isEqualTo("bcrt");
  }

  @Test
  void parsesLowercaseNames() {
    for (Network network : Network.values()) {
      assertThat(Network.parse(network.id())).isEqualTo(network);
      assertThat(Network.fromId(network.toString())).contains(network);
    }
  }

  @Test
  void refusesUnknownNameListingTheValidOnes() {
    assertThat(Network.fromId("bitcoin")).isEmpty();
    assertThatThrownBy(() -> Network.parse("MAINNET"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mainnet, testnet, signet, regtest");
  }
}
