package io.mpcw.crypto.frost;

import static io.mpcw.crypto.frost.FrostSessions.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.util.Hex;
import io.mpcw.crypto.vectors.TestVectors;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FrostEncodingTest {
  private static final SecureRandom RANDOM = seeded(41);
  private static final TrustedDealer.DealtKeys DEALT =
      TrustedDealer.generate(Secp256k1Sha256Taproot.INSTANCE, 3, 2, RANDOM);
  private static final Frost FROST = Frost.taproot();

  /** Every strict prefix and a one-byte extension must be refused with the typed exception. */
  private static void refusesTruncationAndTrailingBytes(byte[] valid, Function<byte[], ?> decoder) {
    for (int len = 0; len < valid.length; len++) {
      byte[] truncated = Arrays.copyOf(valid, len);
      assertThatThrownBy(() -> decoder.apply(truncated))
          .as("prefix of %d bytes", len)
          .isInstanceOf(CryptoFormatException.class);
    }
    byte[] longer = Arrays.copyOf(valid, valid.length + 1);
    assertThatThrownBy(() -> decoder.apply(longer)).isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> decoder.apply(null)).isInstanceOf(CryptoFormatException.class);
  }

  @Test
  void keyPackageRoundTripsAndRefusesMalformedBytes() {
    KeyPackage k = DEALT.keyPackages().get(Identifier.of(2));
    byte[] bytes = k.encode();
    assertThat(bytes).hasSize(133);
    assertThat(KeyPackage.decode(bytes)).isEqualTo(k);
    refusesTruncationAndTrailingBytes(bytes, KeyPackage::decode);

    byte[] otherShare = bytes.clone();
    otherShare[3 + 32 + 31] ^= 1;
    assertThatThrownBy(() -> KeyPackage.decode(otherShare))
        .isInstanceOf(CryptoFormatException.class);
    byte[] scalarTooLarge = bytes.clone();
    Arrays.fill(scalarTooLarge, 3 + 32, 3 + 64, (byte) 0xff);
    assertThatThrownBy(() -> KeyPackage.decode(scalarTooLarge))
        .isInstanceOf(CryptoFormatException.class);
    byte[] zeroIdentifier = bytes.clone();
    Arrays.fill(zeroIdentifier, 3, 3 + 32, (byte) 0);
    assertThatThrownBy(() -> KeyPackage.decode(zeroIdentifier))
        .isInstanceOf(CryptoFormatException.class);
    byte[] badVersion = bytes.clone();
    badVersion[0] = 9;
    assertThatThrownBy(() -> KeyPackage.decode(badVersion))
        .isInstanceOf(CryptoFormatException.class);
  }

  @Test
  void publicKeyPackageRoundTripsAndRefusesMalformedBytes() {
    PublicKeyPackage p = DEALT.publicKeyPackage();
    byte[] bytes = p.encode();
    assertThat(PublicKeyPackage.decode(bytes)).isEqualTo(p);
    refusesTruncationAndTrailingBytes(bytes, PublicKeyPackage::decode);
    byte[] offCurve = bytes.clone();
    // x = 5 has no point on secp256k1
    Arrays.fill(offCurve, 6, 6 + 32, (byte) 0);
    offCurve[6 + 31] = 5;
    assertThatThrownBy(() -> PublicKeyPackage.decode(offCurve))
        .isInstanceOf(CryptoFormatException.class);
    byte[] identity = bytes.clone();
    Arrays.fill(identity, 5, 5 + 33, (byte) 0);
    assertThatThrownBy(() -> PublicKeyPackage.decode(identity))
        .isInstanceOf(CryptoFormatException.class);
  }

  @Test
  void commitmentsSharesAndSigningPackagesRoundTripAndRefuseMalformedBytes() {
    SigningNonces n1 = FROST.commit(DEALT.keyPackages().get(Identifier.of(1)), RANDOM);
    SigningNonces n3 = FROST.commit(DEALT.keyPackages().get(Identifier.of(3)), RANDOM);
    byte[] c = n1.commitments().encode();
    assertThat(c).hasSize(SigningCommitments.BYTES);
    assertThat(SigningCommitments.decode(c)).isEqualTo(n1.commitments());
    refusesTruncationAndTrailingBytes(c, SigningCommitments::decode);

    SigningPackage sp =
        new SigningPackage(new byte[] {1, 2, 3}, List.of(n3.commitments(), n1.commitments()));
    SigningPackage decoded = SigningPackage.decode(sp.encode());
    assertThat(decoded.commitments()).isEqualTo(sp.commitments());
    assertThat(decoded.message()).isEqualTo(sp.message());
    refusesTruncationAndTrailingBytes(sp.encode(), SigningPackage::decode);

    SignatureShare share = FROST.sign(sp, n1, DEALT.keyPackages().get(Identifier.of(1)));
    assertThat(SignatureShare.decode(share.encode())).isEqualTo(share);
    refusesTruncationAndTrailingBytes(share.encode(), SignatureShare::decode);
  }

  @Test
  void signatureDecodersRefuseMalformedSignatures() {
    for (Ciphersuite suite : List.of(Secp256k1Sha256.INSTANCE, Secp256k1Sha256Taproot.INSTANCE)) {
      assertThatThrownBy(() -> suite.decodeSignature(new byte[10]))
          .isInstanceOf(CryptoFormatException.class);
      byte[] valid = suite.encodeSignature(Point.G, Scalar.ONE);
      assertThat(suite.decodeSignature(valid).r()).isEqualTo(Point.G);
      byte[] badScalar = valid.clone();
      Arrays.fill(badScalar, badScalar.length - 32, badScalar.length, (byte) 0xff);
      assertThatThrownBy(() -> suite.decodeSignature(badScalar))
          .isInstanceOf(CryptoFormatException.class);
      assertThat(suite.verify(new byte[0], new byte[3], Point.G)).isFalse();
    }
  }

  @Test
  void decodesZfTaprootSampleEncodings() {
    JsonNode samples = TestVectors.json("zf-frost-secp256k1-tr/samples.json");
    Identifier id = Identifier.decode(Hex.decode(samples.path("identifier").asText()));
    assertThat(id).isEqualTo(Identifier.of(42));
    Point element1 = Point.decodeCompressed(Hex.decode(samples.path("element1").asText()));
    Point element2 = Point.decodeCompressed(Hex.decode(samples.path("element2").asText()));
    assertThat(element1).isEqualTo(Point.G);
    assertThat(element2).isEqualTo(Point.G.add(Point.G));
    Scalar scalar1 = Scalar.decode(Hex.decode(samples.path("scalar1").asText()));
    byte[] pokBytes = Hex.decode(samples.path("proof_of_knowledge").asText());
    SchnorrSignature pok = Secp256k1Sha256Taproot.INSTANCE.decodeSignature(pokBytes);
    assertThat(pok.r()).isEqualTo(element1);
    assertThat(pok.z()).isEqualTo(scalar1);
    assertThat(Secp256k1Sha256Taproot.INSTANCE.encodeSignature(pok.r(), pok.z()))
        .isEqualTo(pokBytes);
  }

  @Test
  void randomBytesNeverCrashAnyDecoderWithAnUntypedException() {
    Random random = new Random(4242);
    List<Function<byte[], ?>> decoders =
        List.of(
            KeyPackage::decode,
            PublicKeyPackage::decode,
            SigningPackage::decode,
            SigningCommitments::decode,
            SignatureShare::decode,
            Point::decodeCompressed,
            Point::decodeXOnly,
            Scalar::decode,
            Identifier::decode,
            Secp256k1Sha256.INSTANCE::decodeSignature,
            Secp256k1Sha256Taproot.INSTANCE::decodeSignature);
    byte[] validKey = DEALT.keyPackages().get(Identifier.of(1)).encode();
    for (int i = 0; i < 300; i++) {
      byte[] noise = new byte[random.nextInt(140)];
      random.nextBytes(noise);
      if (random.nextBoolean() && noise.length > 3) {
        // keep a plausible header so decoding gets past the version and counts
        System.arraycopy(validKey, 0, noise, 0, 3);
      }
      for (Function<byte[], ?> decoder : decoders) {
        try {
          decoder.apply(noise);
        } catch (CryptoFormatException expected) {
          // the only failure allowed
        }
      }
    }
  }
}
