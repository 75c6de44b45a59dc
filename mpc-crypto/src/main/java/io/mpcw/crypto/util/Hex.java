package io.mpcw.crypto.util;

import java.util.HexFormat;

/** Lowercase hex encoding; decoding accepts either case and refuses odd lengths and non-hex. */
public final class Hex {
  private static final HexFormat FORMAT = HexFormat.of();

  private Hex() {}

  public static String encode(byte[] bytes) {
    return FORMAT.formatHex(bytes);
  }

  /**
   * Decodes {@code hex}.
   *
   * @throws IllegalArgumentException when the string has an odd length or a non-hex character
   */
  public static byte[] decode(String hex) {
    if ((hex.length() & 1) != 0) {
      throw new IllegalArgumentException("hex string of odd length " + hex.length());
    }
    return FORMAT.parseHex(hex);
  }
}
