package io.mpcw.crypto.descriptor;

import java.util.Optional;

/**
 * The BIP-380 output descriptor checksum: a BCH code over the descriptor's characters, written as
 * {@code #} and eight bech32 characters after the script expression. Wallets refuse a descriptor
 * whose checksum does not match, so a mistyped key is caught before anything is watched.
 */
public final class DescriptorChecksum {
  private static final String INPUT_CHARSET =
      "0123456789()[],'/*abcdefgh@:$%{}"
          + "IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~"
          + "ijklmnopqrstuvwxyzABCDEFGH`#\"\\ ";
  private static final String CHECKSUM_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final long[] GENERATOR = {
    0xf5dee51989L, 0xa9fdca3312L, 0x1bab10e32dL, 0x3706b1677aL, 0x644d626ffdL
  };
  private static final int LENGTH = 8;

  private DescriptorChecksum() {}

  /**
   * The eight checksum characters of a script expression.
   *
   * @throws IllegalArgumentException for a character outside the descriptor character set
   */
  public static String checksum(String script) {
    long c = 1;
    int cls = 0;
    int clsCount = 0;
    for (int i = 0; i < script.length(); i++) {
      int pos = INPUT_CHARSET.indexOf(script.charAt(i));
      if (pos < 0) {
        throw new IllegalArgumentException(
            "character " + (i + 1) + " is not allowed in a descriptor");
      }
      // each character's position in its group of 32, then every third one the groups together
      c = polymod(c, pos & 31);
      cls = cls * 3 + (pos >> 5);
      if (++clsCount == 3) {
        c = polymod(c, cls);
        cls = 0;
        clsCount = 0;
      }
    }
    if (clsCount > 0) {
      c = polymod(c, cls);
    }
    for (int j = 0; j < LENGTH; j++) {
      c = polymod(c, 0);
    }
    c ^= 1;
    StringBuilder out = new StringBuilder(LENGTH);
    for (int j = 0; j < LENGTH; j++) {
      out.append(CHECKSUM_CHARSET.charAt((int) ((c >> (5 * (7 - j))) & 31)));
    }
    return out.toString();
  }

  /** The descriptor with {@code #checksum} appended. */
  public static String append(String script) {
    return script + "#" + checksum(script);
  }

  /**
   * The script expression of a descriptor that ends in a valid checksum; empty when the checksum is
   * missing, malformed or wrong, or a character is outside the character set.
   */
  public static Optional<String> verify(String descriptor) {
    int hash = descriptor.lastIndexOf('#');
    if (hash < 0 || descriptor.length() - hash - 1 != LENGTH) {
      return Optional.empty();
    }
    String script = descriptor.substring(0, hash);
    String given = descriptor.substring(hash + 1);
    try {
      return checksum(script).equals(given) ? Optional.of(script) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static long polymod(long c, int value) {
    long top = c >> 35;
    c = ((c & 0x7ffffffffL) << 5) ^ value;
    for (int i = 0; i < 5; i++) {
      if (((top >> i) & 1) != 0) {
        c ^= GENERATOR[i];
      }
    }
    return c;
  }
}
