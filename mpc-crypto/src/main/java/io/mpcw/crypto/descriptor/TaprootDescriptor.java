package io.mpcw.crypto.descriptor;

import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.taproot.TapTweak;
import io.mpcw.crypto.util.Hex;
import java.util.Locale;

/**
 * A key-path-only Taproot output descriptor, {@code tr(<x-only internal key>)} (BIP-386), as the
 * wallet's group key is used: the output key is the internal key tweaked with an empty merkle root,
 * so a watch-only wallet derives the same scriptPubKey and address as the wallet pays to. Script
 * trees and extended keys are not supported: the wallet has neither.
 *
 * @param internalKey the 32-byte x-only internal key
 */
public record TaprootDescriptor(byte[] internalKey) {
  private static final String PREFIX = "tr(";

  public TaprootDescriptor {
    if (internalKey.length != 32) {
      throw new IllegalArgumentException("an x-only key is 32 bytes");
    }
    Point.decodeXOnly(internalKey); // must be on the curve
    internalKey = internalKey.clone();
  }

  @Override
  public byte[] internalKey() {
    return internalKey.clone();
  }

  /**
   * Reads {@code tr(<64 hex>)}, with or without a checksum; a checksum, when present, must match.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static TaprootDescriptor parse(String descriptor) {
    String script = descriptor;
    if (descriptor.indexOf('#') >= 0) {
      script =
          DescriptorChecksum.verify(descriptor)
              .orElseThrow(() -> new IllegalArgumentException("descriptor checksum mismatch"));
    }
    if (!script.startsWith(PREFIX) || !script.endsWith(")")) {
      throw new IllegalArgumentException("not a tr(KEY) descriptor");
    }
    String key = script.substring(PREFIX.length(), script.length() - 1);
    if (key.length() != 64 || !key.equals(key.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("tr() takes a 64-hex-digit x-only key here");
    }
    try {
      return new TaprootDescriptor(Hex.decode(key));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tr() key is not an x-only public key", e);
    }
  }

  /** {@code tr(<key>)} without checksum. */
  public String script() {
    return PREFIX + Hex.encode(internalKey) + ")";
  }

  /** {@code tr(<key>)#<checksum>}. */
  @Override
  public String toString() {
    return DescriptorChecksum.append(script());
  }

  /** The x-only output key Q = P + hash_TapTweak(P)·G. */
  public byte[] outputKey() {
    return TapTweak.outputKey(internalKey, new byte[0]).xOnly();
  }

  /** {@code OP_1 <32-byte output key>}. */
  public byte[] scriptPubKey() {
    byte[] q = outputKey();
    byte[] script = new byte[34];
    script[0] = 0x51;
    script[1] = 0x20;
    System.arraycopy(q, 0, script, 2, 32);
    return script;
  }

  public String address(Network network) {
    return SegwitAddress.forTaprootOutputKey(network, outputKey()).toString();
  }
}
