package io.mpcw.crypto.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.address.AddressFormatException.Reason;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Bech32Test {

  /** BIP-173 "valid Bech32" test vectors. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "A12UEL5L",
        "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
        "?1ezyfcl"
      })
  void decodesBip173ValidStringsAsBech32AndReencodesThem(String text) {
    Bech32.Decoded decoded = Bech32.decode(text);

    assertThat(decoded.variant()).isEqualTo(Bech32.Variant.BECH32);
    assertThat(Bech32.encode(decoded.hrp(), decoded.data(), decoded.variant()))
        .isEqualTo(text.toLowerCase(Locale.ROOT));
  }

  /** BIP-350 "valid Bech32m" test vectors. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "A1LQFN3A",
        "a1lqfn3a",
        "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
        "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
        "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
        "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
        "?1v759aa"
      })
  void decodesBip350ValidStringsAsBech32mAndReencodesThem(String text) {
    Bech32.Decoded decoded = Bech32.decode(text);

    assertThat(decoded.variant()).isEqualTo(Bech32.Variant.BECH32M);
    assertThat(Bech32.encode(decoded.hrp(), decoded.data(), decoded.variant()))
        .isEqualTo(text.toLowerCase(Locale.ROOT));
  }

  static Stream<Arguments> invalidStrings() {
    return Stream.of(
        // BIP-173
        Arguments.of("\u00201nwldj5", Reason.INVALID_CHARACTER),
        Arguments.of("\u007f1axkwrx", Reason.INVALID_CHARACTER),
        Arguments.of("\u00801eym55h", Reason.INVALID_CHARACTER),
        Arguments.of(
            "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
            Reason.INVALID_LENGTH),
        Arguments.of("pzry9x0s0muk", Reason.INVALID_STRUCTURE),
        Arguments.of("1pzry9x0s0muk", Reason.INVALID_STRUCTURE),
        Arguments.of("x1b4n0q5v", Reason.INVALID_CHARACTER),
        Arguments.of("li1dgmt3", Reason.INVALID_STRUCTURE),
        Arguments.of("de1lg7wt\u00ff", Reason.INVALID_CHARACTER),
        Arguments.of("A1G7SGD8", Reason.INVALID_CHECKSUM),
        Arguments.of("10a06t8", Reason.INVALID_STRUCTURE),
        Arguments.of("1qzzfhee", Reason.INVALID_STRUCTURE),
        // BIP-350
        Arguments.of("\u00201xj0phk", Reason.INVALID_CHARACTER),
        Arguments.of("\u007f1g6xzxy", Reason.INVALID_CHARACTER),
        Arguments.of("\u00801vctc34", Reason.INVALID_CHARACTER),
        Arguments.of(
            "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
            Reason.INVALID_LENGTH),
        Arguments.of("qyrz8wqd2c9m", Reason.INVALID_STRUCTURE),
        Arguments.of("1qyrz8wqd2c9m", Reason.INVALID_STRUCTURE),
        Arguments.of("y1b0jsk6g", Reason.INVALID_CHARACTER),
        Arguments.of("lt1igcx5c0", Reason.INVALID_CHARACTER),
        Arguments.of("in1muywd", Reason.INVALID_STRUCTURE),
        Arguments.of("mm1crxm3i", Reason.INVALID_CHARACTER),
        Arguments.of("au1s5cgom", Reason.INVALID_CHARACTER),
        Arguments.of("M1VUXWEZ", Reason.INVALID_CHECKSUM),
        Arguments.of("16plkw9", Reason.INVALID_STRUCTURE),
        Arguments.of("1p2gdwpf", Reason.INVALID_STRUCTURE));
  }

  @ParameterizedTest
  @MethodSource("invalidStrings")
  void refusesBipInvalidStringsWithTheirReason(String text, Reason reason) {
    assertThatThrownBy(() -> Bech32.decode(text))
        .isInstanceOf(AddressFormatException.class)
        .satisfies(e -> assertThat(((AddressFormatException) e).reason()).isEqualTo(reason));
  }

  @Test
  void refusesEmptyString() {
    assertThatThrownBy(() -> Bech32.decode(""))
        .isInstanceOf(AddressFormatException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void acceptsExactlyNinetyCharacters() {
    String ninety =
        "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j";

    assertThat(ninety).hasSize(90);
    assertThat(Bech32.decode(ninety).data()).hasSize(82);
  }

  @Test
  void encoderRefusesResultLongerThanNinetyCharacters() {
    assertThatThrownBy(() -> Bech32.encode("bc", new byte[82], Bech32.Variant.BECH32M))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("90");
  }

  @Test
  void encoderRefusesValuesWiderThanFiveBits() {
    assertThatThrownBy(() -> Bech32.encode("bc", new byte[] {32}, Bech32.Variant.BECH32))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encoderWritesLowercaseEvenForUppercaseHrp() {
    assertThat(Bech32.encode("A", new byte[0], Bech32.Variant.BECH32)).isEqualTo("a12uel5l");
  }
}
