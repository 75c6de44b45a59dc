package io.mpcw.crypto.address;

import io.mpcw.crypto.address.AddressFormatException.Reason;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Bech32 (BIP-173) and Bech32m (BIP-350) strings: an HRP, the separator '1', 5-bit data values and
 * a six-character checksum. The two variants differ only in the constant the checksum is xored
 * with, so one decoder recognises both and reports which one it found.
 */
public final class Bech32 {
  /** Longest string BIP-173 allows; the checksum's guarantees do not hold beyond it. */
  public static final int MAX_LENGTH = 90;

  private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final int CHECKSUM_LENGTH = 6;
  private static final int[] GENERATOR = {
    0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3
  };
  private static final byte[] CHARSET_REV = new byte[128];

  static {
    Arrays.fill(CHARSET_REV, (byte) -1);
    for (int i = 0; i < CHARSET.length(); i++) {
      CHARSET_REV[CHARSET.charAt(i)] = (byte) i;
    }
  }

  /** The checksum variant; its constant is what the checksum residue must equal. */
  public enum Variant {
    BECH32(1),
    BECH32M(0x2bc830a3);

    private final int constant;

    Variant(int constant) {
      this.constant = constant;
    }
  }

  /** A decoded string: lowercase HRP, 5-bit data values (checksum removed) and the variant. */
  public record Decoded(String hrp, Variant variant, byte[] data) {
    public Decoded {
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Decoded d
          && hrp.equals(d.hrp)
          && variant == d.variant
          && Arrays.equals(data, d.data);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * hrp.hashCode() + variant.hashCode()) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Decoded[hrp=" + hrp + ", variant=" + variant + ", length=" + data.length + "]";
    }
  }

  private Bech32() {}

  /**
   * Encodes 5-bit {@code data} under {@code hrp} in lowercase.
   *
   * @throws IllegalArgumentException on an invalid HRP, a value above 31 or a result longer than 90
   *     characters
   */
  public static String encode(String hrp, byte[] data, Variant variant) {
    if (hrp.isEmpty()) {
      throw new IllegalArgumentException("the HRP must not be empty");
    }
    for (int i = 0; i < hrp.length(); i++) {
      char c = hrp.charAt(i);
      if (c < 33 || c > 126) {
        throw new IllegalArgumentException("HRP character " + describe(c) + " is not printable");
      }
    }
    String lowerHrp = hrp.toLowerCase(Locale.ROOT);
    int length = lowerHrp.length() + 1 + data.length + CHECKSUM_LENGTH;
    if (length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "the encoding would be " + length + " characters, more than " + MAX_LENGTH);
    }
    for (byte value : data) {
      if ((value & 0xff) > 31) {
        throw new IllegalArgumentException("data value " + (value & 0xff) + " is not 5 bits");
      }
    }
    int[] checksum = checksum(lowerHrp, data, variant);
    StringBuilder out = new StringBuilder(length).append(lowerHrp).append('1');
    for (byte value : data) {
      out.append(CHARSET.charAt(value));
    }
    for (int value : checksum) {
      out.append(CHARSET.charAt(value));
    }
    return out.toString();
  }

  /**
   * Decodes a Bech32 or Bech32m string, in all-lowercase or all-uppercase.
   *
   * @throws AddressFormatException saying which rule the string breaks
   */
  public static Decoded decode(String text) {
    if (text.isEmpty()) {
      throw new AddressFormatException(Reason.INVALID_LENGTH, "the address is empty");
    }
    if (text.length() > MAX_LENGTH) {
      throw new AddressFormatException(
          Reason.INVALID_LENGTH,
          "the address is " + text.length() + " characters long, the maximum is " + MAX_LENGTH);
    }
    boolean lower = false;
    boolean upper = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 33 || c > 126) {
        throw new AddressFormatException(
            Reason.INVALID_CHARACTER,
            "character " + describe(c) + " at position " + i + " is not allowed in an address");
      }
      lower |= c >= 'a' && c <= 'z';
      upper |= c >= 'A' && c <= 'Z';
    }
    if (lower && upper) {
      throw new AddressFormatException(
          Reason.MIXED_CASE,
          "the address mixes upper and lower case letters; it must be all one case");
    }
    String lowerText = text.toLowerCase(Locale.ROOT);
    int separator = lowerText.lastIndexOf('1');
    if (separator < 0) {
      throw new AddressFormatException(
          Reason.INVALID_STRUCTURE, "the address has no '1' separator after its prefix");
    }
    if (separator == 0) {
      throw new AddressFormatException(
          Reason.INVALID_STRUCTURE, "the address has an empty prefix before the '1' separator");
    }
    int dataLength = lowerText.length() - separator - 1;
    if (dataLength < CHECKSUM_LENGTH) {
      throw new AddressFormatException(
          Reason.INVALID_STRUCTURE,
          "the address has only "
              + dataLength
              + " characters after the separator, fewer than the 6-character checksum");
    }
    byte[] values = new byte[dataLength];
    for (int i = 0; i < dataLength; i++) {
      int position = separator + 1 + i;
      char c = lowerText.charAt(position);
      byte value = CHARSET_REV[c];
      if (value < 0) {
        throw new AddressFormatException(
            Reason.INVALID_CHARACTER,
            "character '"
                + text.charAt(position)
                + "' at position "
                + position
                + " is not a Bech32 character (1, b, i and o are excluded)");
      }
      values[i] = value;
    }
    String hrp = lowerText.substring(0, separator);
    int residue = polymod(hrp, values, new int[0]);
    Variant variant;
    if (residue == Variant.BECH32.constant) {
      variant = Variant.BECH32;
    } else if (residue == Variant.BECH32M.constant) {
      variant = Variant.BECH32M;
    } else {
      throw new AddressFormatException(
          Reason.INVALID_CHECKSUM,
          "the address checksum is wrong: it was mistyped or altered, check every character");
    }
    return new Decoded(hrp, variant, Arrays.copyOf(values, dataLength - CHECKSUM_LENGTH));
  }

  /** Regroups 8-bit bytes into 5-bit values, zero-padding the last one. */
  static byte[] toFiveBit(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 8 / 5 + 1);
    int accumulator = 0;
    int bits = 0;
    for (byte b : bytes) {
      accumulator = (accumulator << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        out.write((accumulator >>> bits) & 31);
      }
    }
    if (bits > 0) {
      out.write((accumulator << (5 - bits)) & 31);
    }
    return out.toByteArray();
  }

  /**
   * Regroups 5-bit values into bytes. BIP-173 lets at most 4 bits of zero padding remain, so that
   * every byte string has exactly one encoding.
   */
  static byte[] fromFiveBit(byte[] values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(values.length * 5 / 8);
    int accumulator = 0;
    int bits = 0;
    for (byte value : values) {
      accumulator = ((accumulator << 5) | value) & 0xfff;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out.write((accumulator >>> bits) & 0xff);
      }
    }
    if (bits >= 5) {
      throw new AddressFormatException(
          Reason.INVALID_PADDING,
          "the address has " + bits + " bits of padding, at most 4 are allowed");
    }
    if ((accumulator & ((1 << bits) - 1)) != 0) {
      throw new AddressFormatException(
          Reason.INVALID_PADDING, "the address ends with non-zero padding bits");
    }
    return out.toByteArray();
  }

  private static int[] checksum(String hrp, byte[] data, Variant variant) {
    int residue = polymod(hrp, data, new int[CHECKSUM_LENGTH]) ^ variant.constant;
    int[] checksum = new int[CHECKSUM_LENGTH];
    for (int i = 0; i < CHECKSUM_LENGTH; i++) {
      checksum[i] = (residue >>> (5 * (CHECKSUM_LENGTH - 1 - i))) & 31;
    }
    return checksum;
  }

  /** The BCH checksum residue over the expanded HRP, the data, then {@code tail}. */
  private static int polymod(String hrp, byte[] data, int[] tail) {
    int chk = 1;
    for (int i = 0; i < hrp.length(); i++) {
      chk = step(chk, hrp.charAt(i) >>> 5);
    }
    chk = step(chk, 0);
    for (int i = 0; i < hrp.length(); i++) {
      chk = step(chk, hrp.charAt(i) & 31);
    }
    for (byte value : data) {
      chk = step(chk, value);
    }
    for (int value : tail) {
      chk = step(chk, value);
    }
    return chk;
  }

  private static int step(int chk, int value) {
    int top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ value;
    for (int i = 0; i < GENERATOR.length; i++) {
      if (((top >>> i) & 1) != 0) {
        chk ^= GENERATOR[i];
      }
    }
    return chk;
  }

  private static String describe(char c) {
    return String.format("U+%04X", (int) c);
  }
}
