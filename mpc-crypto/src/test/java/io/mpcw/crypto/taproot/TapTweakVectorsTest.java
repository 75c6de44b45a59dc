package io.mpcw.crypto.taproot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.util.Hex;
import io.mpcw.crypto.vectors.TestVectors;
import org.junit.jupiter.api.Test;

class TapTweakVectorsTest {
  private static final JsonNode VECTORS = TestVectors.json("bip341/wallet-test-vectors.json");

  private static byte[] merkleRoot(JsonNode node) {
    return node.isNull() || node.isMissingNode() ? new byte[0] : Hex.decode(node.asText());
  }

  @Test
  void keyPathInputsTweakPrivateKeysAndSignLikeTheBip() {
    int checked = 0;
    for (JsonNode input : VECTORS.path("keyPathSpending").get(0).path("inputSpending")) {
      JsonNode given = input.path("given");
      JsonNode mid = input.path("intermediary");
      Scalar internal = Scalar.decode(Hex.decode(given.path("internalPrivkey").asText()));
      byte[] root = merkleRoot(given.path("merkleRoot"));
      Point internalKey = Point.multiplyGenerator(internal);

      assertThat(Hex.encode(internalKey.encodeXOnly()))
          .isEqualTo(mid.path("internalPubkey").asText());
      assertThat(Hex.encode(TapTweak.tweak(internalKey, root).encode()))
          .isEqualTo(mid.path("tweak").asText());
      Scalar tweaked = TapTweak.tweakSecretKey(internal, root);
      assertThat(Hex.encode(tweaked.encode())).isEqualTo(mid.path("tweakedPrivkey").asText());

      byte[] sig =
          Bip340.sign(Hex.decode(mid.path("sigHash").asText()), tweaked.encode(), new byte[32]);
      int hashType = given.path("hashType").asInt();
      String expected = Hex.encode(sig) + (hashType != 0 ? String.format("%02x", hashType) : "");
      assertThat(expected).isEqualTo(input.path("expected").path("witness").get(0).asText());
      assertThat(TapTweak.outputKey(internalKey, root).xOnly())
          .isEqualTo(Bip340.publicKey(tweaked.encode()));
      checked++;
    }
    assertThat(checked).isEqualTo(7);
  }

  @Test
  void scriptPubKeyCasesGiveTweakAndOutputKey() {
    int checked = 0;
    for (JsonNode c : VECTORS.path("scriptPubKey")) {
      byte[] internal = Hex.decode(c.path("given").path("internalPubkey").asText());
      JsonNode mid = c.path("intermediary");
      byte[] root = merkleRoot(mid.path("merkleRoot"));
      assertThat(Hex.encode(TapTweak.tweak(Point.decodeXOnly(internal), root).encode()))
          .isEqualTo(mid.path("tweak").asText());
      TweakedKey q = TapTweak.outputKey(internal, root);
      assertThat(Hex.encode(q.xOnly())).isEqualTo(mid.path("tweakedPubkey").asText());
      for (JsonNode controlBlock : c.path("expected").path("scriptPathControlBlocks")) {
        int parity = Hex.decode(controlBlock.asText())[0] & 1;
        assertThat(q.oddY()).isEqualTo(parity == 1);
      }
      checked++;
    }
    assertThat(checked).isEqualTo(7);
  }
}
