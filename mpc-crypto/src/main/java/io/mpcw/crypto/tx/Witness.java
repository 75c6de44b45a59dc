package io.mpcw.crypto.tx;

import io.mpcw.crypto.util.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The witness stack of one input: an immutable list of byte strings. */
public final class Witness {
  public static final Witness EMPTY = new Witness(List.of());

  /** A BIP-340 signature; key-path witnesses add a hash type byte unless it is the default. */
  private static final int SCHNORR_SIGNATURE_LENGTH = 64;

  private final List<byte[]> items;

  private Witness(List<byte[]> items) {
    this.items = items;
  }

  /** A witness of the given items, copied. */
  public static Witness of(List<byte[]> items) {
    List<byte[]> copies = new ArrayList<>(items.size());
    for (byte[] item : items) {
      copies.add(item.clone());
    }
    return new Witness(List.copyOf(copies));
  }

  public static Witness of(byte[]... items) {
    return of(Arrays.asList(items));
  }

  /**
   * The witness of a Taproot key-path spend: the signature alone. A 64-byte signature means
   * SIGHASH_DEFAULT; a 65-byte one ends with an explicit hash type, which BIP-341 forbids to be
   * 0x00 (that must be written as 64 bytes) and requires to be a defined type.
   *
   * @throws IllegalArgumentException on any other length or hash type
   */
  public static Witness keyPath(byte[] signature) {
    if (signature.length == SCHNORR_SIGNATURE_LENGTH + 1) {
      int hashType = signature[SCHNORR_SIGNATURE_LENGTH] & 0xff;
      SighashType type = SighashType.fromByte(hashType);
      if (type == SighashType.DEFAULT) {
        throw new IllegalArgumentException(
            "a 65-byte key-path signature cannot end in 0x00; SIGHASH_DEFAULT is 64 bytes");
      }
    } else if (signature.length != SCHNORR_SIGNATURE_LENGTH) {
      throw new IllegalArgumentException(
          "a key-path signature is 64 or 65 bytes, got " + signature.length);
    }
    return of(signature);
  }

  public int size() {
    return items.size();
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  /** A copy of item {@code index}. */
  public byte[] item(int index) {
    return items.get(index).clone();
  }

  /** Copies of all items, bottom of the stack first. */
  public List<byte[]> items() {
    return items.stream().map(byte[]::clone).toList();
  }

  int serializedSize() {
    int size = ByteWriter.compactSizeLength(items.size());
    for (byte[] item : items) {
      size += ByteWriter.compactSizeLength(item.length) + item.length;
    }
    return size;
  }

  void writeTo(ByteWriter out) {
    out.writeCompactSize(items.size());
    for (byte[] item : items) {
      out.writeVarBytes(item);
    }
  }

  static Witness readFrom(ByteReader in) {
    int count = in.readCount("witness item count", 1);
    List<byte[]> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(in.readVarBytes("witness item"));
    }
    return new Witness(List.copyOf(items));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Witness w) || w.items.size() != items.size()) {
      return false;
    }
    for (int i = 0; i < items.size(); i++) {
      if (!Arrays.equals(items.get(i), w.items.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = 1;
    for (byte[] item : items) {
      hash = 31 * hash + Arrays.hashCode(item);
    }
    return hash;
  }

  @Override
  public String toString() {
    return items.stream().map(Hex::encode).collect(Collectors.joining(", ", "Witness[", "]"));
  }
}
