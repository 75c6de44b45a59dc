package io.mpcw.crypto.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.util.Hex;
import io.mpcw.crypto.vectors.TestVectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checksum vectors of BIP-380 and the {@code tr()} vectors of BIP-386, read from the copied
 * mediawiki texts (vectors/bip380, vectors/bip386).
 */
class DescriptorVectorsTest {
  private static final Pattern NAMED = Pattern.compile("\\* ([^:\\n]+): <tt>([^<]*)</tt>");
  private static final Pattern WITH_SCRIPT =
      Pattern.compile("\\* <tt>([^<]*)</tt>\\n\\*\\* <tt>([0-9a-f]*)</tt>");

  private static String section(String file, String from, String to) {
    String text = new String(TestVectors.bytes(file), StandardCharsets.UTF_8);
    int start = text.indexOf(from);
    int end = text.indexOf(to, start);
    if (start < 0 || end < 0) {
      throw new IllegalStateException(file + ": section not found");
    }
    return text.substring(start, end);
  }

  static List<Arguments> checksumCases() {
    Matcher m =
        NAMED.matcher(
            section(
                "bip380/bip-0380.mediawiki",
                "The following tests cover the checksum and character set:",
                "The following tests cover key expressions:"));
    List<Arguments> cases = new ArrayList<>();
    while (m.find()) {
      cases.add(Arguments.of(m.group(1), m.group(2)));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("checksumCases")
  void checksumIsAcceptedOnlyWhereTheBipSaysValid(String name, String descriptor) {
    boolean valid = name.equals("Valid checksum");

    assertThat(DescriptorChecksum.verify(descriptor).isPresent()).isEqualTo(valid);
  }

  @Test
  void checksumOfTheValidVectorIsComputed() {
    assertThat(checksumCases()).hasSize(8);
    assertThat(DescriptorChecksum.append("raw(deadbeef)")).isEqualTo("raw(deadbeef)#89f8spxm");
  }

  static List<Arguments> trVectors() {
    Matcher m =
        WITH_SCRIPT.matcher(
            section("bip386/bip-0386.mediawiki", "==Test Vectors==", "Invalid Descriptors"));
    List<Arguments> cases = new ArrayList<>();
    while (m.find()) {
      cases.add(Arguments.of(m.group(1), m.group(2)));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trVectors")
  void keyOnlyTrDescriptorGivesTheBipsScriptAndOthersAreRefused(String descriptor, String script) {
    if (descriptor.matches("tr\\([0-9a-f]{64}\\)")) {
      TaprootDescriptor parsed = TaprootDescriptor.parse(descriptor);
      assertThat(Hex.encode(parsed.scriptPubKey())).isEqualTo(script);
      assertThat(TaprootDescriptor.parse(parsed.toString()).script()).isEqualTo(descriptor);
    } else {
      // keys other than a bare x-only key, and script trees: the wallet has none, so none are read
      assertThatThrownBy(() -> TaprootDescriptor.parse(descriptor))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void bip386HasOneBareKeyVector() {
    assertThat(trVectors())
        .filteredOn(a -> ((String) a.get()[0]).matches("tr\\([0-9a-f]{64}\\)"))
        .hasSize(1);
  }

  static List<Arguments> invalidTr() {
    Matcher m =
        Pattern.compile("<tt>([a-z]+\\([^<]*\\))</tt>")
            .matcher(section("bip386/bip-0386.mediawiki", "Invalid Descriptors", "==Backwards"));
    List<Arguments> cases = new ArrayList<>();
    while (m.find()) {
      cases.add(Arguments.of(m.group(1)));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidTr")
  void invalidTrDescriptorsAreRefused(String descriptor) {
    assertThatThrownBy(() -> TaprootDescriptor.parse(descriptor))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWrongChecksumIsRefused() {
    String good = new TaprootDescriptor(Hex.decode(KEY)).toString();
    String bad = good.substring(0, good.length() - 1) + (good.endsWith("q") ? "p" : "q");

    assertThat(TaprootDescriptor.parse(good).script()).isEqualTo("tr(" + KEY + ")");
    assertThatThrownBy(() -> TaprootDescriptor.parse(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void anUppercaseOrOffCurveKeyIsRefused() {
    assertThatThrownBy(() -> TaprootDescriptor.parse("tr(" + KEY.toUpperCase() + ")"))
        .isInstanceOf(IllegalArgumentException.class);
    // x = 5 is not the x coordinate of any secp256k1 point
    assertThatThrownBy(() -> TaprootDescriptor.parse("tr(" + "0".repeat(63) + "5)"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static final String KEY =
      "a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd";
}
