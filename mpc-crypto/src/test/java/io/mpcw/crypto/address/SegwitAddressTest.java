package io.mpcw.crypto.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.address.AddressFormatException.Reason;
import io.mpcw.crypto.util.Hex;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SegwitAddressTest {
  private static final String TAPROOT_KEY =
      "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
  private static final String MAINNET_TAPROOT =
      "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0";
  private static final String MAINNET_P2WPKH = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";

  /** BIP-350 valid segwit addresses (which include BIP-173's valid version 0 ones). */
  static Stream<Arguments> validAddresses() {
    return Stream.of(
        Arguments.of(
            "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
            Network.MAINNET,
            "0014751e76e8199196d454941c45d1b3a323f1433bd6"),
        Arguments.of(
            "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
            Network.TESTNET,
            "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"),
        Arguments.of(
            "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
            Network.MAINNET,
            "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"),
        Arguments.of("BC1SW50QGDZ25J", Network.MAINNET, "6002751e"),
        Arguments.of(
            "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
            Network.MAINNET,
            "5210751e76e8199196d454941c45d1b3a323"),
        Arguments.of(
            "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
            Network.TESTNET,
            "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"),
        Arguments.of(
            "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
            Network.TESTNET,
            "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"),
        Arguments.of(MAINNET_TAPROOT, Network.MAINNET, "5120" + TAPROOT_KEY));
  }

  @ParameterizedTest
  @MethodSource("validAddresses")
  void decodesBip350ValidAddressToItsScriptPubKey(
      String address, Network network, String scriptPubKey) {
    SegwitAddress decoded = SegwitAddress.decode(address, network);

    assertThat(Hex.encode(decoded.scriptPubKey())).isEqualTo(scriptPubKey);
    assertThat(decoded.network()).isEqualTo(network);
  }

  @ParameterizedTest
  @MethodSource("validAddresses")
  void reencodesBip350ValidAddressInLowercase(
      String address, Network network, String scriptPubKey) {
    SegwitAddress decoded = SegwitAddress.decode(address, network);

    assertThat(decoded.toString()).isEqualTo(address.toLowerCase(Locale.ROOT));
    assertThat(SegwitAddress.encode(network, decoded.witnessVersion(), decoded.program()))
        .isEqualTo(address.toLowerCase(Locale.ROOT));
    assertThat(SegwitAddress.fromScriptPubKey(network, Hex.decode(scriptPubKey))).contains(decoded);
  }

  /** BIP-350 invalid segwit addresses with the reason the BIP gives. */
  static Stream<Arguments> bip350InvalidAddresses() {
    return Stream.of(
        Arguments.of(
            "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
            Network.MAINNET,
            Reason.WRONG_NETWORK),
        Arguments.of(
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
            Network.MAINNET,
            Reason.WRONG_CHECKSUM_VARIANT),
        Arguments.of(
            "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
            Network.TESTNET,
            Reason.WRONG_CHECKSUM_VARIANT),
        Arguments.of(
            "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
            Network.MAINNET,
            Reason.WRONG_CHECKSUM_VARIANT),
        Arguments.of(
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
            Network.MAINNET,
            Reason.WRONG_CHECKSUM_VARIANT),
        Arguments.of(
            "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
            Network.TESTNET,
            Reason.WRONG_CHECKSUM_VARIANT),
        Arguments.of(
            "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
            Network.MAINNET,
            Reason.INVALID_CHARACTER),
        Arguments.of(
            "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
            Network.MAINNET,
            Reason.INVALID_WITNESS_VERSION),
        Arguments.of("bc1pw5dgrnzv", Network.MAINNET, Reason.INVALID_PROGRAM_LENGTH),
        Arguments.of(
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
            Network.MAINNET,
            Reason.INVALID_PROGRAM_LENGTH),
        Arguments.of(
            "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", Network.MAINNET, Reason.INVALID_PROGRAM_LENGTH),
        Arguments.of(
            "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
            Network.TESTNET,
            Reason.MIXED_CASE),
        Arguments.of(
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
            Network.MAINNET,
            Reason.INVALID_PADDING),
        Arguments.of(
            "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
            Network.TESTNET,
            Reason.INVALID_PADDING),
        Arguments.of("bc1gmk9yu", Network.MAINNET, Reason.INVALID_WITNESS_VERSION));
  }

  @ParameterizedTest
  @MethodSource("bip350InvalidAddresses")
  void refusesBip350InvalidAddressWithItsReason(String address, Network network, Reason reason) {
    assertRefused(address, network, reason);
  }

  /**
   * BIP-173 invalid segwit addresses. Under BIP-350 some fail earlier than the reason BIP-173
   * gives: a version 2, 3 or 15 address with a Bech32 checksum is refused for its checksum variant.
   */
  static Stream<Arguments> bip173InvalidAddresses() {
    return Stream.of(
        Arguments.of(
            "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", Network.MAINNET, Reason.WRONG_NETWORK),
        Arguments.of(
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", Network.MAINNET, Reason.INVALID_CHECKSUM),
        Arguments.of(
            "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2",
            Network.MAINNET,
            Reason.INVALID_WITNESS_VERSION),
        Arguments.of("bc1rw5uspcuh", Network.MAINNET, Reason.WRONG_CHECKSUM_VARIANT),
        Arguments.of(
            "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
            Network.MAINNET,
            Reason.WRONG_CHECKSUM_VARIANT),
        Arguments.of(
            "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", Network.MAINNET, Reason.INVALID_PROGRAM_LENGTH),
        Arguments.of(
            "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",
            Network.TESTNET,
            Reason.MIXED_CASE),
        Arguments.of(
            "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",
            Network.MAINNET,
            Reason.WRONG_CHECKSUM_VARIANT),
        Arguments.of(
            "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",
            Network.TESTNET,
            Reason.INVALID_PADDING),
        Arguments.of("bc1gmk9yu", Network.MAINNET, Reason.INVALID_WITNESS_VERSION));
  }

  @ParameterizedTest
  @MethodSource("bip173InvalidAddresses")
  void refusesBip173InvalidAddress(String address, Network network, Reason reason) {
    assertRefused(address, network, reason);
  }

  /** BIP-173's valid version 1+ addresses use Bech32, which BIP-350 made invalid for them. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
        "BC1SW50QA3JX3S",
        "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj"
      })
  void refusesPreBip350EncodingOfVersionOneAndUp(String address) {
    assertRefused(address, Network.MAINNET, Reason.WRONG_CHECKSUM_VARIANT)
        .hasMessageContaining("Bech32m");
  }

  @Test
  void refusesBech32ChecksumOnTaprootAddress() {
    assertRefused(
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
            Network.MAINNET,
            Reason.WRONG_CHECKSUM_VARIANT)
        .hasMessageContaining("witness version 1")
        .hasMessageContaining("must use the Bech32m checksum");
  }

  @Test
  void refusesBech32mChecksumOnVersionZeroAddress() {
    assertRefused(
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
            Network.MAINNET,
            Reason.WRONG_CHECKSUM_VARIANT)
        .hasMessageContaining("version 0")
        .hasMessageContaining("must use the Bech32 checksum");
  }

  @Test
  void refusesMistypedTaprootAddressWithChecksumError() {
    String mistyped = MAINNET_TAPROOT.substring(0, 20) + 'q' + MAINNET_TAPROOT.substring(21);

    assertRefused(mistyped, Network.MAINNET, Reason.INVALID_CHECKSUM)
        .hasMessageContaining("checksum");
  }

  @Test
  void refusesTestnetAddressOnMainnetNamingExpectedNetwork() {
    String testnet = SegwitAddress.encode(Network.TESTNET, 1, Hex.decode(TAPROOT_KEY));

    assertRefused(testnet, Network.MAINNET, Reason.WRONG_NETWORK)
        .hasMessageContaining("testnet or signet address")
        .hasMessageContaining("mainnet")
        .hasMessageContaining("'bc1'");
  }

  @Test
  void refusesMainnetAddressOnRegtestNamingExpectedNetwork() {
    assertRefused(MAINNET_TAPROOT, Network.REGTEST, Reason.WRONG_NETWORK)
        .hasMessageContaining("a mainnet address")
        .hasMessageContaining("regtest")
        .hasMessageContaining("'bcrt1'");
  }

  @Test
  void refusesForeignPrefixAsNotBitcoin() {
    assertRefused(
            "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", Network.MAINNET, Reason.WRONG_NETWORK)
        .hasMessageContaining("not a Bitcoin address")
        .hasMessageContaining("mainnet");
  }

  @Test
  void acceptsTestnetPrefixOnSignetBecauseTheyShareIt() {
    String address = "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c";

    SegwitAddress decoded = SegwitAddress.decode(address, Network.SIGNET);

    assertThat(decoded.network()).isEqualTo(Network.SIGNET);
    assertThat(decoded.toString()).isEqualTo(address);
  }

  @Test
  void roundTripsRegtestTaprootAddress() {
    SegwitAddress address =
        SegwitAddress.forTaprootOutputKey(Network.REGTEST, Hex.decode(TAPROOT_KEY));

    assertThat(address.toString()).startsWith("bcrt1p");
    assertThat(SegwitAddress.decode(address.toString(), Network.REGTEST)).isEqualTo(address);
  }

  @Test
  void refusesMixedCase() {
    assertRefused("bc1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", Network.MAINNET, Reason.MIXED_CASE)
        .hasMessageContaining("mixes upper and lower case");
  }

  @Test
  void acceptsUppercaseAddress() {
    assertThat(SegwitAddress.decode(MAINNET_TAPROOT.toUpperCase(Locale.ROOT), Network.MAINNET))
        .hasToString(MAINNET_TAPROOT);
  }

  @Test
  void refusesExcludedCharacterNamingIt() {
    String withB = MAINNET_P2WPKH.substring(0, 10) + 'b' + MAINNET_P2WPKH.substring(11);

    assertRefused(withB, Network.MAINNET, Reason.INVALID_CHARACTER)
        .hasMessageContaining("'b'")
        .hasMessageContaining("position 10");
  }

  @Test
  void refusesSurroundingWhitespace() {
    assertRefused(" " + MAINNET_P2WPKH, Network.MAINNET, Reason.INVALID_CHARACTER);
    assertRefused(MAINNET_P2WPKH + "\n", Network.MAINNET, Reason.INVALID_CHARACTER);
  }

  @Test
  void refusesAddressLongerThanNinetyCharacters() {
    assertRefused("bc1" + "q".repeat(88), Network.MAINNET, Reason.INVALID_LENGTH)
        .hasMessageContaining("91 characters");
  }

  @Test
  void refusesVersionZeroProgramOfSixteenBytes() {
    assertRefused(
            "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", Network.MAINNET, Reason.INVALID_PROGRAM_LENGTH)
        .hasMessageContaining("20 bytes")
        .hasMessageContaining("32 bytes")
        .hasMessageContaining("16 bytes");
  }

  @Test
  void refusesVersionOneProgramOfFortyOneBytes() {
    assertRefused(
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
            Network.MAINNET,
            Reason.INVALID_PROGRAM_LENGTH)
        .hasMessageContaining("41 bytes")
        .hasMessageContaining("2 to 40");
  }

  @Test
  void acceptsVersionSixteenWithFortyByteProgram() {
    String address = SegwitAddress.encode(Network.MAINNET, 16, new byte[40]);

    SegwitAddress decoded = SegwitAddress.decode(address, Network.MAINNET);

    assertThat(decoded.witnessVersion()).isEqualTo(16);
    assertThat(decoded.scriptPubKey()[0]).isEqualTo((byte) 0x60);
    assertThat(decoded.isTaproot()).isFalse();
  }

  @Test
  void encodesTaprootOutputKeyAsBech32mP2tr() {
    SegwitAddress address =
        SegwitAddress.forTaprootOutputKey(Network.MAINNET, Hex.decode(TAPROOT_KEY));

    assertThat(address).hasToString(MAINNET_TAPROOT);
    assertThat(address.isTaproot()).isTrue();
    assertThat(Hex.encode(address.scriptPubKey())).isEqualTo("5120" + TAPROOT_KEY);
  }

  @Test
  void refusesTaprootOutputKeyThatIsNotThirtyTwoBytes() {
    assertThatThrownBy(() -> SegwitAddress.forTaprootOutputKey(Network.MAINNET, new byte[33]))
        .isInstanceOf(AddressFormatException.class)
        .hasMessageContaining("32 bytes");
  }

  @Test
  void encodeRefusesWitnessVersionAboveSixteen() {
    assertThatThrownBy(() -> SegwitAddress.encode(Network.MAINNET, 17, new byte[32]))
        .isInstanceOf(AddressFormatException.class)
        .satisfies(
            e ->
                assertThat(((AddressFormatException) e).reason())
                    .isEqualTo(Reason.INVALID_WITNESS_VERSION));
  }

  @Test
  void encodeRefusesVersionZeroProgramOfWrongLength() {
    assertThatThrownBy(() -> SegwitAddress.encode(Network.MAINNET, 0, new byte[21]))
        .isInstanceOf(AddressFormatException.class)
        .hasMessageContaining("21 bytes");
  }

  @Test
  void doesNotShareProgramArrays() {
    byte[] key = Hex.decode(TAPROOT_KEY);
    SegwitAddress address = SegwitAddress.forTaprootOutputKey(Network.MAINNET, key);

    Arrays.fill(key, (byte) 0);
    address.program()[0] = 1;

    assertThat(address).hasToString(MAINNET_TAPROOT);
  }

  @Test
  void findsNoSegwitAddressInLegacyScripts() {
    byte[] p2pkh = Hex.decode("76a914751e76e8199196d454941c45d1b3a323f1433bd688ac");
    byte[] opReturn = Hex.decode("6a0401020304");

    assertThat(SegwitAddress.fromScriptPubKey(Network.MAINNET, p2pkh)).isEmpty();
    assertThat(SegwitAddress.fromScriptPubKey(Network.MAINNET, opReturn)).isEmpty();
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
      String address, Network network, Reason reason) {
    return assertThatThrownBy(() -> SegwitAddress.decode(address, network))
        .isInstanceOf(AddressFormatException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(((AddressFormatException) e).reason()).isEqualTo(reason));
  }
}
