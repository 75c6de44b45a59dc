package io.mpcw.crypto.psbt;

/**
 * The BIP-174 and BIP-371 field types this library reads, and the shape each one must have. A field
 * of a known type with a key or value of the wrong size makes the PSBT invalid (as in Bitcoin
 * Core); unknown types are kept as they are, as BIP-174 asks.
 */
public final class PsbtFields {
  public static final int GLOBAL_UNSIGNED_TX = 0x00;
  public static final int GLOBAL_XPUB = 0x01;
  public static final int GLOBAL_VERSION = 0xfb;

  public static final int IN_NON_WITNESS_UTXO = 0x00;
  public static final int IN_WITNESS_UTXO = 0x01;
  public static final int IN_PARTIAL_SIG = 0x02;
  public static final int IN_SIGHASH_TYPE = 0x03;
  public static final int IN_REDEEM_SCRIPT = 0x04;
  public static final int IN_WITNESS_SCRIPT = 0x05;
  public static final int IN_BIP32_DERIVATION = 0x06;
  public static final int IN_FINAL_SCRIPTSIG = 0x07;
  public static final int IN_FINAL_SCRIPTWITNESS = 0x08;
  public static final int IN_TAP_KEY_SIG = 0x13;
  public static final int IN_TAP_SCRIPT_SIG = 0x14;
  public static final int IN_TAP_LEAF_SCRIPT = 0x15;
  public static final int IN_TAP_BIP32_DERIVATION = 0x16;
  public static final int IN_TAP_INTERNAL_KEY = 0x17;
  public static final int IN_TAP_MERKLE_ROOT = 0x18;

  public static final int OUT_REDEEM_SCRIPT = 0x00;
  public static final int OUT_WITNESS_SCRIPT = 0x01;
  public static final int OUT_BIP32_DERIVATION = 0x02;
  public static final int OUT_TAP_INTERNAL_KEY = 0x05;
  public static final int OUT_TAP_TREE = 0x06;
  public static final int OUT_TAP_BIP32_DERIVATION = 0x07;

  private static final int MAX_TAPROOT_DEPTH = 128;

  private PsbtFields() {}

  static void checkGlobal(PsbtMap map) {
    for (PsbtMap.Entry e : map.entries()) {
      int keyData = e.key().length - 1;
      byte[] v = e.value();
      switch (e.type()) {
        case GLOBAL_UNSIGNED_TX -> keyLength("global unsigned tx", keyData, 0);
        case GLOBAL_XPUB -> {
          keyLength("global xpub", keyData, 78);
          derivationPath("global xpub", v, 0);
        }
        case GLOBAL_VERSION -> {
          keyLength("global version", keyData, 0);
          valueLength("global version", v, 4);
          if (v[0] != 0 || v[1] != 0 || v[2] != 0 || v[3] != 0) {
            throw new PsbtFormatException("only PSBT version 0 is supported");
          }
        }
        default -> {}
      }
    }
  }

  static void checkInput(PsbtMap map, int index) {
    String at = "input " + index + ": ";
    for (PsbtMap.Entry e : map.entries()) {
      int keyData = e.key().length - 1;
      byte[] v = e.value();
      switch (e.type()) {
        case IN_NON_WITNESS_UTXO, IN_REDEEM_SCRIPT, IN_WITNESS_SCRIPT, IN_FINAL_SCRIPTSIG ->
            keyLength(at + "type " + e.type(), keyData, 0);
        case IN_WITNESS_UTXO -> {
          keyLength(at + "witness utxo", keyData, 0);
          PsbtReader in = new PsbtReader(v);
          UnsignedTx.readTxOut(in);
          end(in, at + "witness utxo");
        }
        case IN_PARTIAL_SIG -> publicKey(at + "partial signature", keyData);
        case IN_SIGHASH_TYPE -> {
          keyLength(at + "sighash type", keyData, 0);
          valueLength(at + "sighash type", v, 4);
        }
        case IN_BIP32_DERIVATION -> {
          publicKey(at + "bip32 derivation", keyData);
          derivationPath(at + "bip32 derivation", v, 0);
        }
        case IN_FINAL_SCRIPTWITNESS -> {
          keyLength(at + "final script witness", keyData, 0);
          PsbtReader in = new PsbtReader(v);
          long items = in.readCompactSize("witness item count");
          for (long i = 0; i < items; i++) {
            in.readVarBytes("witness item");
          }
          end(in, at + "final script witness");
        }
        case IN_TAP_KEY_SIG -> {
          keyLength(at + "taproot key signature", keyData, 0);
          schnorrSignature(at + "taproot key signature", v);
        }
        case IN_TAP_SCRIPT_SIG -> {
          keyLength(at + "taproot script signature", keyData, 64);
          schnorrSignature(at + "taproot script signature", v);
        }
        case IN_TAP_LEAF_SCRIPT -> {
          if (keyData < 33 || (keyData - 33) % 32 != 0 || (keyData - 33) / 32 > MAX_TAPROOT_DEPTH) {
            throw new PsbtFormatException(at + "taproot control block of " + keyData + " bytes");
          }
          if (v.length < 1) {
            throw new PsbtFormatException(at + "taproot leaf script without a leaf version");
          }
        }
        case IN_TAP_BIP32_DERIVATION -> {
          keyLength(at + "taproot bip32 derivation", keyData, 32);
          tapDerivation(at + "taproot bip32 derivation", v);
        }
        case IN_TAP_INTERNAL_KEY -> {
          keyLength(at + "taproot internal key", keyData, 0);
          valueLength(at + "taproot internal key", v, 32);
        }
        case IN_TAP_MERKLE_ROOT -> {
          keyLength(at + "taproot merkle root", keyData, 0);
          valueLength(at + "taproot merkle root", v, 32);
        }
        default -> {}
      }
    }
  }

  static void checkOutput(PsbtMap map, int index) {
    String at = "output " + index + ": ";
    for (PsbtMap.Entry e : map.entries()) {
      int keyData = e.key().length - 1;
      byte[] v = e.value();
      switch (e.type()) {
        case OUT_REDEEM_SCRIPT, OUT_WITNESS_SCRIPT -> keyLength(at + "script", keyData, 0);
        case OUT_BIP32_DERIVATION -> {
          publicKey(at + "bip32 derivation", keyData);
          derivationPath(at + "bip32 derivation", v, 0);
        }
        case OUT_TAP_INTERNAL_KEY -> {
          keyLength(at + "taproot internal key", keyData, 0);
          valueLength(at + "taproot internal key", v, 32);
        }
        case OUT_TAP_TREE -> {
          keyLength(at + "taproot tree", keyData, 0);
          tapTree(at + "taproot tree", v);
        }
        case OUT_TAP_BIP32_DERIVATION -> {
          keyLength(at + "taproot bip32 derivation", keyData, 32);
          tapDerivation(at + "taproot bip32 derivation", v);
        }
        default -> {}
      }
    }
  }

  private static void keyLength(String field, int keyData, int expected) {
    if (keyData != expected) {
      throw new PsbtFormatException(
          field + ": key data of " + keyData + " byte(s), expected " + expected);
    }
  }

  private static void valueLength(String field, byte[] value, int expected) {
    if (value.length != expected) {
      throw new PsbtFormatException(
          field + ": value of " + value.length + " byte(s), expected " + expected);
    }
  }

  private static void publicKey(String field, int keyData) {
    if (keyData != 33 && keyData != 65) {
      throw new PsbtFormatException(field + ": a public key of " + keyData + " bytes");
    }
  }

  private static void schnorrSignature(String field, byte[] value) {
    if (value.length != 64 && value.length != 65) {
      throw new PsbtFormatException(field + ": a signature of " + value.length + " bytes");
    }
  }

  /** A 4-byte fingerprint and 4-byte path elements, from {@code offset}. */
  private static void derivationPath(String field, byte[] value, int offset) {
    int length = value.length - offset;
    if (length < 4 || length % 4 != 0) {
      throw new PsbtFormatException(field + ": a key origin of " + length + " bytes");
    }
  }

  private static void tapDerivation(String field, byte[] value) {
    PsbtReader in = new PsbtReader(value);
    long hashes = in.readCompactSize(field + " leaf hash count");
    in.readBytes(hashes * 32, field + " leaf hashes");
    derivationPath(field, value, in.position());
  }

  private static void tapTree(String field, byte[] value) {
    PsbtReader in = new PsbtReader(value);
    if (in.remaining() == 0) {
      throw new PsbtFormatException(field + ": empty");
    }
    while (in.remaining() > 0) {
      int depth = in.readByte(field + " depth");
      if (depth > MAX_TAPROOT_DEPTH) {
        throw new PsbtFormatException(field + ": depth " + depth);
      }
      in.readByte(field + " leaf version");
      in.readVarBytes(field + " script");
    }
  }

  private static void end(PsbtReader in, String field) {
    if (in.remaining() != 0) {
      throw new PsbtFormatException(field + ": " + in.remaining() + " trailing byte(s)");
    }
  }
}
