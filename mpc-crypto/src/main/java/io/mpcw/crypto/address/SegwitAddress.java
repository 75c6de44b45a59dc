package io.mpcw.crypto.address;

import io.mpcw.crypto.address.AddressFormatException.Reason;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A native segwit address (BIP-173, BIP-350): a network, a witness version 0..16 and a witness
 * program. Version 0 uses the Bech32 checksum, versions 1 and up (Taproot is version 1) use
 * Bech32m. Immutable; {@link #toString()} is the canonical lowercase address.
 */
public final class SegwitAddress {
  /** BIP-341 key-path outputs are witness version 1 with a 32-byte x-only output key. */
  public static final int TAPROOT_VERSION = 1;

  private static final int MAX_VERSION = 16;
  private static final int MIN_PROGRAM = 2;
  private static final int MAX_PROGRAM = 40;
  private static final int OP_0 = 0x00;
  private static final int OP_1 = 0x51;

  private final Network network;
  private final int witnessVersion;
  private final byte[] program;

  private SegwitAddress(Network network, int witnessVersion, byte[] program) {
    this.network = network;
    this.witnessVersion = witnessVersion;
    this.program = program;
  }

  /**
   * Decodes {@code address} and checks that it belongs to {@code expected}. Upper case addresses
   * are accepted (they make denser QR codes); mixed case is not.
   *
   * @throws AddressFormatException with a message saying exactly what is wrong: length, character,
   *     mixed case, checksum, checksum variant for the version, network, witness version, padding
   *     or program length
   */
  public static SegwitAddress decode(String address, Network expected) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(expected, "expected");
    Bech32.Decoded decoded = Bech32.decode(address);
    if (!decoded.hrp().equals(expected.hrp())) {
      throw new AddressFormatException(Reason.WRONG_NETWORK, wrongNetwork(decoded.hrp(), expected));
    }
    byte[] data = decoded.data();
    if (data.length == 0) {
      throw new AddressFormatException(
          Reason.INVALID_WITNESS_VERSION,
          "the address has no data: neither a witness version nor a program");
    }
    int version = data[0];
    if (version > MAX_VERSION) {
      throw new AddressFormatException(
          Reason.INVALID_WITNESS_VERSION,
          "the address has witness version " + version + ", the highest defined is 16");
    }
    Bech32.Variant required = version == 0 ? Bech32.Variant.BECH32 : Bech32.Variant.BECH32M;
    if (decoded.variant() != required) {
      throw new AddressFormatException(Reason.WRONG_CHECKSUM_VARIANT, wrongVariant(version));
    }
    byte[] program = Bech32.fromFiveBit(Arrays.copyOfRange(data, 1, data.length));
    checkProgram(version, program);
    return new SegwitAddress(expected, version, program);
  }

  /**
   * An address for {@code program} under witness version {@code version}.
   *
   * @throws AddressFormatException if the version is not 0..16 or the program length is invalid for
   *     it
   */
  public static SegwitAddress of(Network network, int version, byte[] program) {
    Objects.requireNonNull(network, "network");
    if (version < 0 || version > MAX_VERSION) {
      throw new AddressFormatException(
          Reason.INVALID_WITNESS_VERSION, "witness version " + version + " is not in 0..16");
    }
    byte[] copy = program.clone();
    checkProgram(version, copy);
    return new SegwitAddress(network, version, copy);
  }

  /** The address string for {@code program} under {@code version}; see {@link #of}. */
  public static String encode(Network network, int version, byte[] program) {
    return of(network, version, program).toString();
  }

  /** The P2TR address paying to the tweaked x-only output key Q (BIP-341). */
  public static SegwitAddress forTaprootOutputKey(Network network, byte[] outputKey) {
    if (outputKey.length != 32) {
      throw new AddressFormatException(
          Reason.INVALID_PROGRAM_LENGTH,
          "a Taproot output key is 32 bytes (x-only), got " + outputKey.length);
    }
    return of(network, TAPROOT_VERSION, outputKey);
  }

  /**
   * The address that {@code scriptPubKey} pays to, when it is a native segwit output ({@code OP_n
   * <push 2..40 bytes>}).
   */
  public static Optional<SegwitAddress> fromScriptPubKey(Network network, byte[] scriptPubKey) {
    if (scriptPubKey.length < 4 || scriptPubKey.length > MAX_PROGRAM + 2) {
      return Optional.empty();
    }
    int opcode = scriptPubKey[0] & 0xff;
    int version;
    if (opcode == OP_0) {
      version = 0;
    } else if (opcode >= OP_1 && opcode < OP_1 + MAX_VERSION) {
      version = opcode - OP_1 + 1;
    } else {
      return Optional.empty();
    }
    if ((scriptPubKey[1] & 0xff) != scriptPubKey.length - 2) {
      return Optional.empty();
    }
    byte[] program = Arrays.copyOfRange(scriptPubKey, 2, scriptPubKey.length);
    try {
      return Optional.of(of(network, version, program));
    } catch (AddressFormatException e) {
      return Optional.empty();
    }
  }

  public Network network() {
    return network;
  }

  public int witnessVersion() {
    return witnessVersion;
  }

  public byte[] program() {
    return program.clone();
  }

  /** Whether this is a Taproot (P2TR) address: version 1 with a 32-byte program. */
  public boolean isTaproot() {
    return witnessVersion == TAPROOT_VERSION && program.length == 32;
  }

  /** The output script: {@code OP_0} or {@code OP_1..OP_16}, then a direct push of the program. */
  public byte[] scriptPubKey() {
    byte[] script = new byte[program.length + 2];
    script[0] = (byte) (witnessVersion == 0 ? OP_0 : OP_1 + witnessVersion - 1);
    script[1] = (byte) program.length;
    System.arraycopy(program, 0, script, 2, program.length);
    return script;
  }

  /** The canonical lowercase address. */
  @Override
  public String toString() {
    byte[] programValues = Bech32.toFiveBit(program);
    byte[] data = new byte[programValues.length + 1];
    data[0] = (byte) witnessVersion;
    System.arraycopy(programValues, 0, data, 1, programValues.length);
    Bech32.Variant variant = witnessVersion == 0 ? Bech32.Variant.BECH32 : Bech32.Variant.BECH32M;
    return Bech32.encode(network.hrp(), data, variant);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SegwitAddress a
        && network == a.network
        && witnessVersion == a.witnessVersion
        && Arrays.equals(program, a.program);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * network.hashCode() + witnessVersion) + Arrays.hashCode(program);
  }

  private static void checkProgram(int version, byte[] program) {
    if (program.length < MIN_PROGRAM || program.length > MAX_PROGRAM) {
      throw new AddressFormatException(
          Reason.INVALID_PROGRAM_LENGTH,
          "the witness program is "
              + program.length
              + " bytes, it must be 2 to 40 bytes (version "
              + version
              + ")");
    }
    if (version == 0 && program.length != 20 && program.length != 32) {
      throw new AddressFormatException(
          Reason.INVALID_PROGRAM_LENGTH,
          "a version 0 witness program is 20 bytes (P2WPKH) or 32 bytes (P2WSH), this one is "
              + program.length
              + " bytes");
    }
  }

  private static String wrongNetwork(String hrp, Network expected) {
    String expectation =
        "this wallet runs on " + expected.id() + " (prefix '" + expected.hrp() + "1')";
    String found =
        switch (hrp) {
          case "bc" -> "a mainnet address";
          case "tb" -> "a testnet or signet address";
          case "bcrt" -> "a regtest address";
          default -> "not a Bitcoin address (prefix '" + hrp + "1')";
        };
    return "the address is " + found + ", but " + expectation;
  }

  private static String wrongVariant(int version) {
    if (version == 0) {
      return "a witness version 0 address must use the Bech32 checksum, this one uses Bech32m";
    }
    return "a witness version "
        + version
        + " address must use the Bech32m checksum (BIP-350), this one uses Bech32"
        + " (the obsolete BIP-173 encoding)";
  }
}
