package io.mpcw.crypto.address;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.crypto.tx.Bip341WalletVectors;
import io.mpcw.crypto.util.Hex;
import org.junit.jupiter.api.Test;

/** BIP-341 wallet vectors, {@code scriptPubKey[*]}: output key → script and mainnet address. */
class TaprootAddressVectorsTest {

  @Test
  void derivesBip341ScriptPubKeyAndAddressFromTweakedKey() {
    JsonNode cases = Bip341WalletVectors.load().get("scriptPubKey");
    assertThat(cases.size()).isEqualTo(7);

    for (JsonNode c : cases) {
      byte[] outputKey = Hex.decode(c.get("intermediary").get("tweakedPubkey").asText());
      String expectedScript = c.get("expected").get("scriptPubKey").asText();
      String expectedAddress = c.get("expected").get("bip350Address").asText();

      SegwitAddress address = SegwitAddress.forTaprootOutputKey(Network.MAINNET, outputKey);

      assertThat(Hex.encode(address.scriptPubKey())).isEqualTo(expectedScript);
      assertThat(address).hasToString(expectedAddress);
      assertThat(SegwitAddress.decode(expectedAddress, Network.MAINNET)).isEqualTo(address);
    }
  }
}
