package io.mpcw.crypto.psbt;

import io.mpcw.crypto.vectors.TestVectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The PSBT test cases of a BIP's "Test Vectors" section, read from the copied mediawiki text: every
 * {@code * Case: <name>} with its {@code Base64 String: <pre>…</pre>}, between two marker lines.
 */
final class BipPsbtCases {
  private static final Pattern CASE =
      Pattern.compile("\\* Case: ([^\\n]*)\\n.*?Base64 String: <pre>([^<]*)</pre>", Pattern.DOTALL);

  private BipPsbtCases() {}

  static List<Arguments> between(String file, String from, String to) {
    String text = new String(TestVectors.bytes(file), StandardCharsets.UTF_8);
    int start = text.indexOf(from);
    int end = text.indexOf(to, start);
    if (start < 0 || end < 0) {
      throw new IllegalStateException(file + ": markers not found: " + from + " / " + to);
    }
    Matcher m = CASE.matcher(text.substring(start, end));
    List<Arguments> cases = new ArrayList<>();
    while (m.find()) {
      cases.add(Arguments.of(m.group(1).strip(), m.group(2).strip()));
    }
    if (cases.isEmpty()) {
      throw new IllegalStateException(file + ": no cases between the markers");
    }
    return cases;
  }

  /** The Base64 of the first {@code <pre>} after {@code marker}. */
  static String base64After(String file, String marker) {
    String text = new String(TestVectors.bytes(file), StandardCharsets.UTF_8);
    int at = text.indexOf(marker);
    Matcher m = Pattern.compile("Base64 String: <pre>([^<]*)</pre>").matcher(text);
    if (at < 0 || !m.find(at)) {
      throw new IllegalStateException(file + ": nothing after " + marker);
    }
    return m.group(1).strip();
  }
}
