package io.mpcw.crypto.frost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.util.Hex;
import io.mpcw.crypto.vectors.TestVectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrostVectorsTest {

  @Test
  void reproducesEveryFieldOfRfc9591Secp256k1Vector() {
    byte[] sig =
        checkVector("rfc9591/frost-secp256k1-sha256.json", "group_public_key", Frost.rfc9591());
    assertThat(sig).hasSize(65);
  }

  @Test
  void reproducesEveryFieldOfZfTaprootVectorIncludingOddCommitmentNegation() {
    Frost frost = Frost.taproot();
    JsonNode v = TestVectors.json("zf-frost-secp256k1-tr/vectors.json");
    byte[] sig = checkVector("zf-frost-secp256k1-tr/vectors.json", "verifying_key_key", frost);
    assertThat(sig).hasSize(64);
    Point groupKey = Point.decodeCompressed(hex(v.path("inputs").path("verifying_key_key")));
    assertThat(Bip340.verify(hex(v.path("inputs").path("message")), groupKey.encodeXOnly(), sig))
        .isTrue();
  }

  @Test
  void taprootVectorHasOddGroupCommitmentSoTheNegationPathRuns() {
    JsonNode v = TestVectors.json("zf-frost-secp256k1-tr/vectors.json");
    Fixture f = fixture(v, "verifying_key_key", Frost.taproot());
    assertThat(f.bindingFactors.groupCommitment().hasEvenY()).isFalse();
  }

  private record Fixture(
      SigningPackage signingPackage,
      Map<Identifier, KeyPackage> keys,
      Map<Identifier, SigningNonces> nonces,
      BindingFactors bindingFactors,
      PublicKeyPackage publicKeyPackage) {}

  private static byte[] hex(JsonNode node) {
    return Hex.decode(node.asText());
  }

  private static Fixture fixture(JsonNode v, String groupKeyField, Frost frost) {
    JsonNode in = v.path("inputs");
    Scalar secret = Scalar.decode(hex(in.path("group_secret_key")));
    List<Scalar> higher = new ArrayList<>();
    in.path("share_polynomial_coefficients").forEach(c -> higher.add(Scalar.decode(hex(c))));
    List<Identifier> all = new ArrayList<>();
    in.path("participant_shares")
        .forEach(s -> all.add(Identifier.of(s.path("identifier").asInt())));
    TrustedDealer.DealtKeys dealt =
        TrustedDealer.splitUnprocessed(Polynomial.of(secret, higher), all);

    assertThat(dealt.publicKeyPackage().verifyingKey().encodeCompressed())
        .isEqualTo(hex(in.path(groupKeyField)));
    for (JsonNode s : in.path("participant_shares")) {
      Identifier id = Identifier.of(s.path("identifier").asInt());
      assertThat(Hex.encode(dealt.keyPackages().get(id).signingShare().encode()))
          .as("share of %s", id)
          .isEqualTo(s.path("participant_share").asText());
    }

    Map<Identifier, KeyPackage> keys = new HashMap<>();
    Map<Identifier, SigningNonces> nonces = new HashMap<>();
    List<SigningCommitments> commitments = new ArrayList<>();
    for (JsonNode r1 : v.path("round_one_outputs").path("outputs")) {
      Identifier id = Identifier.of(r1.path("identifier").asInt());
      KeyPackage key = dealt.keyPackages().get(id);
      byte[] hidingRandomness = hex(r1.path("hiding_nonce_randomness"));
      byte[] bindingRandomness = hex(r1.path("binding_nonce_randomness"));
      assertThat(Hex.encode(frost.nonce(hidingRandomness, key.signingShare()).encode()))
          .isEqualTo(r1.path("hiding_nonce").asText());
      assertThat(Hex.encode(frost.nonce(bindingRandomness, key.signingShare()).encode()))
          .isEqualTo(r1.path("binding_nonce").asText());
      SigningNonces n = frost.commitFromRandomness(key, hidingRandomness, bindingRandomness);
      assertThat(Hex.encode(n.commitments().hiding().encodeCompressed()))
          .isEqualTo(r1.path("hiding_nonce_commitment").asText());
      assertThat(Hex.encode(n.commitments().binding().encodeCompressed()))
          .isEqualTo(r1.path("binding_nonce_commitment").asText());
      keys.put(id, key);
      nonces.put(id, n);
      commitments.add(n.commitments());
    }
    SigningPackage sp = new SigningPackage(hex(in.path("message")), commitments);
    BindingFactors bf = frost.bindingFactors(sp, dealt.publicKeyPackage());
    return new Fixture(sp, keys, nonces, bf, dealt.publicKeyPackage());
  }

  private static byte[] checkVector(String file, String groupKeyField, Frost frost) {
    JsonNode v = TestVectors.json(file);
    Fixture f = fixture(v, groupKeyField, frost);
    for (JsonNode r1 : v.path("round_one_outputs").path("outputs")) {
      Identifier id = Identifier.of(r1.path("identifier").asInt());
      assertThat(Hex.encode(f.bindingFactors.input(id).orElseThrow()))
          .isEqualTo(r1.path("binding_factor_input").asText());
      assertThat(Hex.encode(f.bindingFactors.factor(id).orElseThrow().encode()))
          .isEqualTo(r1.path("binding_factor").asText());
    }
    List<SignatureShare> shares = new ArrayList<>();
    for (JsonNode r2 : v.path("round_two_outputs").path("outputs")) {
      Identifier id = Identifier.of(r2.path("identifier").asInt());
      SignatureShare share = frost.sign(f.signingPackage, f.nonces.get(id), f.keys.get(id));
      assertThat(Hex.encode(share.share().encode())).isEqualTo(r2.path("sig_share").asText());
      frost.verifyShare(share, f.signingPackage, f.publicKeyPackage);
      shares.add(share);
    }
    byte[] sig = frost.aggregate(f.signingPackage, shares, f.publicKeyPackage);
    assertThat(Hex.encode(sig)).isEqualTo(v.path("final_output").path("sig").asText());
    assertThat(frost.verify(f.signingPackage.message(), sig, f.publicKeyPackage.verifyingKey()))
        .isTrue();
    return sig;
  }
}
