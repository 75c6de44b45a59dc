package io.mpcw.orchestrator.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.PublicKeyPackage;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecodedKeyPackagesTest {

  private static byte[] encoded(long seed) {
    Map<Identifier, Point> shares =
        Map.of(
            Identifier.of(1), Point.multiplyGenerator(Scalar.of(seed + 1)),
            Identifier.of(2), Point.multiplyGenerator(Scalar.of(seed + 2)),
            Identifier.of(3), Point.multiplyGenerator(Scalar.of(seed + 3)));
    return new PublicKeyPackage(shares, Point.multiplyGenerator(Scalar.of(seed)), 2).encode();
  }

  @Test
  void theSameBytesDecodeToOneSharedPackageEqualToAFreshDecode() {
    byte[] bytes = encoded(1_000);
    PublicKeyPackage first = DecodedKeyPackages.decode(bytes);
    PublicKeyPackage again = DecodedKeyPackages.decode(bytes.clone());
    assertThat(again).isSameAs(first);
    assertThat(first.encode()).isEqualTo(PublicKeyPackage.decode(bytes).encode());
  }

  @Test
  void otherBytesDecodeToTheirOwnPackage() {
    PublicKeyPackage one = DecodedKeyPackages.decode(encoded(2_000));
    PublicKeyPackage other = DecodedKeyPackages.decode(encoded(3_000));
    assertThat(other.verifyingKey()).isNotEqualTo(one.verifyingKey());
    assertThat(other.encode()).isEqualTo(encoded(3_000));
  }

  @Test
  void changingTheCallersArrayAfterwardsDoesNotChangeWhatIsRemembered() {
    byte[] bytes = encoded(4_000);
    PublicKeyPackage decoded = DecodedKeyPackages.decode(bytes);
    Arrays.fill(bytes, (byte) 0);
    assertThat(DecodedKeyPackages.decode(encoded(4_000))).isSameAs(decoded);
  }

  @Test
  void aMalformedPackageIsRefusedEveryTimeAndNeverRemembered() {
    byte[] truncated = Arrays.copyOf(encoded(6_000), 40);
    int before = DecodedKeyPackages.remembered();
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> DecodedKeyPackages.decode(truncated))
          .isInstanceOf(CryptoFormatException.class);
    }
    assertThat(DecodedKeyPackages.remembered()).isEqualTo(before);
  }
}
