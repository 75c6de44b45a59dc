package io.mpcw.crypto.dkg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyGenerationResult;
import io.mpcw.crypto.frost.Polynomial;
import io.mpcw.crypto.frost.Secp256k1Sha256Taproot;
import io.mpcw.crypto.util.Hex;
import io.mpcw.crypto.vectors.TestVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DkgVectorsTest {
  private static final JsonNode VECTORS =
      TestVectors.json("zf-frost-secp256k1-tr/vectors_dkg.json");
  private static final Secp256k1Sha256Taproot SUITE = Secp256k1Sha256Taproot.INSTANCE;

  private static byte[] hex(JsonNode n) {
    return Hex.decode(n.asText());
  }

  private static Round1Package round1Package(JsonNode participant) {
    List<Point> commitment = new ArrayList<>();
    participant
        .path("vss_commitments")
        .forEach(c -> commitment.add(Point.decodeCompressed(hex(c))));
    return new Round1Package(
        commitment, SUITE.decodeSignature(hex(participant.path("proof_of_knowledge"))));
  }

  @Test
  void reproducesZfTaprootDkgIncludingEvenYAndTapTweak() {
    JsonNode inputs = VECTORS.path("inputs");
    int max = VECTORS.path("config").path("MAX_PARTICIPANTS").asInt();
    int min = VECTORS.path("config").path("MIN_PARTICIPANTS").asInt();
    Dkg dkg = new Dkg(SUITE);
    Point untweakedKey = null;
    for (int i = 1; i <= max; i++) {
      JsonNode me = inputs.path(Integer.toString(i));
      Identifier self = Identifier.of(me.path("identifier").asInt());
      Polynomial f =
          Polynomial.of(
              Scalar.decode(hex(me.path("signing_key"))),
              List.of(Scalar.decode(hex(me.path("coefficient")))));

      Dkg.Part1Result part1 = dkg.part1(self, max, f, Scalar.of(1000 + i));
      Round1Package published = round1Package(me);
      assertThat(part1.package1().commitment()).isEqualTo(published.commitment());
      assertThat(
              dkg.verifyKnowledge(
                  self, published.commitment().get(0), published.proofOfKnowledge()))
          .isTrue();
      Point a0 = published.commitment().get(0);
      untweakedKey = untweakedKey == null ? a0 : untweakedKey.add(a0);

      Map<Identifier, Round1Package> round1 = new TreeMap<>();
      Map<Identifier, Round2Package> round2 = new TreeMap<>();
      for (int j = 1; j <= max; j++) {
        if (j == i) {
          continue;
        }
        JsonNode peer = inputs.path(Integer.toString(j));
        Identifier peerId = Identifier.of(peer.path("identifier").asInt());
        round1.put(peerId, round1Package(peer));
        round2.put(
            peerId,
            new Round2Package(
                Scalar.decode(hex(me.path("signing_shares").path(Integer.toString(j))))));
      }
      Dkg.Part2Result part2 = dkg.part2(part1.secretPackage(), round1);
      for (Map.Entry<Identifier, Round2Package> sent : part2.packages().entrySet()) {
        JsonNode recipient = inputs.path(sent.getKey().toString());
        assertThat(Hex.encode(sent.getValue().signingShare().encode()))
            .as("share from %s to %s", self, sent.getKey())
            .isEqualTo(recipient.path("signing_shares").path(Integer.toString(i)).asText());
      }

      KeyGenerationResult out = dkg.part3(part2.secretPackage(), round1, round2);
      assertThat(Hex.encode(out.keyPackage().signingShare().encode()))
          .isEqualTo(me.path("signing_share").asText());
      assertThat(Hex.encode(out.keyPackage().verifyingShare().encodeCompressed()))
          .isEqualTo(me.path("verifying_share").asText());
      assertThat(Hex.encode(out.keyPackage().verifyingKey().encodeCompressed()))
          .isEqualTo(inputs.path("verifying_key").asText());
      assertThat(out.keyPackage().minSigners()).isEqualTo(min);
      assertThat(out.publicKeyPackage().verifyingKey()).isEqualTo(out.keyPackage().verifyingKey());
      for (int j = 1; j <= max; j++) {
        assertThat(
                Hex.encode(
                    out.publicKeyPackage()
                        .verifyingShare(Identifier.of(j))
                        .orElseThrow()
                        .encodeCompressed()))
            .isEqualTo(inputs.path(Integer.toString(j)).path("verifying_share").asText());
      }
    }
    // the vector exercises the even-y negation before the tweak
    assertThat(untweakedKey.hasEvenY()).isFalse();
  }
}
