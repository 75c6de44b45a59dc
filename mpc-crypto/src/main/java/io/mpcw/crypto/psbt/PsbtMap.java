package io.mpcw.crypto.psbt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One PSBT key-value map (the global map, an input's or an output's), in the order it was read, so
 * that a parsed PSBT serializes back to the same bytes. Keys are unique; a key is its type byte
 * followed by the key data.
 */
public final class PsbtMap {
  private final List<Entry> entries;

  /** One key-value pair; {@code key[0]} is the type. */
  public record Entry(byte[] key, byte[] value) {
    public Entry {
      key = key.clone();
      value = value.clone();
    }

    public int type() {
      return key[0] & 0xff;
    }

    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }
  }

  static final PsbtMap EMPTY = new PsbtMap(List.of());

  private PsbtMap(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  static PsbtMap read(PsbtReader in, String where) {
    List<Entry> entries = new ArrayList<>();
    while (true) {
      long keyLength = in.readCompactSize("key length in " + where);
      if (keyLength == 0) {
        return new PsbtMap(entries);
      }
      byte[] key = in.readBytes(keyLength, "key in " + where);
      byte[] value = in.readVarBytes("value in " + where);
      for (Entry e : entries) {
        if (Arrays.equals(e.key, key)) {
          throw new PsbtFormatException(
              "duplicate key " + HexFormat.of().formatHex(key) + " in " + where);
        }
      }
      entries.add(new Entry(key, value));
    }
  }

  void writeTo(PsbtWriter out) {
    for (Entry e : entries) {
      out.writeVarBytes(e.key).writeVarBytes(e.value);
    }
    out.writeByte(0);
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The value of the key that is only its type byte (most fields have no key data). */
  public Optional<byte[]> value(int type) {
    return value(new byte[] {(byte) type});
  }

  public Optional<byte[]> value(byte[] key) {
    return entries.stream().filter(e -> Arrays.equals(e.key, key)).findFirst().map(Entry::value);
  }

  /**
   * This map with the key set to the value: replaced in place when present, else inserted before
   * the first larger key, so that maps this library builds are in key order as Bitcoin Core writes
   * them.
   */
  PsbtMap with(byte[] key, byte[] value) {
    List<Entry> next = new ArrayList<>(entries);
    Entry entry = new Entry(key, value);
    for (int i = 0; i < next.size(); i++) {
      int order = Arrays.compareUnsigned(next.get(i).key, key);
      if (order == 0) {
        next.set(i, entry);
        return new PsbtMap(next);
      }
      if (order > 0) {
        next.add(i, entry);
        return new PsbtMap(next);
      }
    }
    next.add(entry);
    return new PsbtMap(next);
  }
}
