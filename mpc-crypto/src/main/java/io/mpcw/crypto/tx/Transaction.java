package io.mpcw.crypto.tx;

import io.mpcw.crypto.hash.Sha256;
import io.mpcw.crypto.util.Hex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable Bitcoin transaction: version, inputs, outputs, lock time and one witness stack per
 * input (empty when the input has none). Serializes with the BIP-144 marker and flag whenever at
 * least one witness is non-empty, as Bitcoin Core does.
 */
public final class Transaction {
  /** Largest transaction the parser accepts: nothing bigger fits in a block (4M weight units). */
  public static final int MAX_SERIALIZED_SIZE = 4_000_000;

  private final int version;
  private final List<TxIn> inputs;
  private final List<TxOut> outputs;
  private final long lockTime;
  private final List<Witness> witnesses;

  Transaction(
      int version, List<TxIn> inputs, List<TxOut> outputs, long lockTime, List<Witness> witnesses) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("a transaction needs at least one input");
    }
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("a transaction needs at least one output");
    }
    if (witnesses.size() != inputs.size()) {
      throw new IllegalArgumentException(
          witnesses.size() + " witnesses for " + inputs.size() + " inputs");
    }
    if (lockTime < 0 || lockTime > 0xffffffffL) {
      throw new IllegalArgumentException(
          "lock time " + lockTime + " is not an unsigned 32-bit value");
    }
    this.version = version;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.lockTime = lockTime;
    this.witnesses = List.copyOf(witnesses);
  }

  /** A builder for an unsigned transaction (version 2, lock time 0 unless set). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses a serialized transaction, with or without witness data.
   *
   * @throws TransactionFormatException when the bytes are truncated, have trailing data, carry
   *     counts or lengths that cannot fit, use non-canonical length prefixes, an unknown segwit
   *     flag or a witness section with only empty stacks
   */
  public static Transaction parse(byte[] bytes) {
    return TransactionEncoding.read(bytes);
  }

  /** {@link #parse(byte[])} of a hex string; a non-hex string is a format error too. */
  public static Transaction parseHex(String hex) {
    byte[] bytes;
    try {
      bytes = Hex.decode(hex);
    } catch (IllegalArgumentException e) {
      throw new TransactionFormatException("transaction hex is malformed: " + e.getMessage(), e);
    }
    return parse(bytes);
  }

  public int version() {
    return version;
  }

  public List<TxIn> inputs() {
    return inputs;
  }

  public List<TxOut> outputs() {
    return outputs;
  }

  public long lockTime() {
    return lockTime;
  }

  /** The witness stack of input {@code index} ({@link Witness#EMPTY} when none). */
  public Witness witness(int index) {
    return witnesses.get(index);
  }

  public List<Witness> witnesses() {
    return witnesses;
  }

  /** Whether any input has witness data, i.e. whether the BIP-144 encoding is used. */
  public boolean hasWitness() {
    return witnesses.stream().anyMatch(w -> !w.isEmpty());
  }

  /** Whether any input signals replace-by-fee (BIP-125). */
  public boolean signalsRbf() {
    return inputs.stream().anyMatch(TxIn::signalsRbf);
  }

  /** A copy with {@code witness} on input {@code index}. */
  public Transaction withWitness(int index, Witness witness) {
    Objects.checkIndex(index, inputs.size());
    List<Witness> updated = new ArrayList<>(witnesses);
    updated.set(index, Objects.requireNonNull(witness, "witness"));
    return new Transaction(version, inputs, outputs, lockTime, updated);
  }

  /**
   * A copy whose input {@code index} is spent through the Taproot key path with {@code signature};
   * see {@link Witness#keyPath}.
   */
  public Transaction withKeyPathSignature(int index, byte[] signature) {
    return withWitness(index, Witness.keyPath(signature));
  }

  /** A copy with one key-path signature per input, in input order. */
  public Transaction withKeyPathSignatures(List<byte[]> signatures) {
    if (signatures.size() != inputs.size()) {
      throw new IllegalArgumentException(
          signatures.size() + " signatures for " + inputs.size() + " inputs");
    }
    List<Witness> updated = signatures.stream().map(Witness::keyPath).toList();
    return new Transaction(version, inputs, outputs, lockTime, updated);
  }

  /** A copy without any witness data. */
  public Transaction withoutWitnesses() {
    return new Transaction(
        version, inputs, outputs, lockTime, Collections.nCopies(inputs.size(), Witness.EMPTY));
  }

  /** The network serialization: BIP-144 with witnesses when there are any, legacy otherwise. */
  public byte[] serialize() {
    return serialize(hasWitness());
  }

  /** The legacy serialization without witnesses, the one the txid commits to. */
  public byte[] serializeWithoutWitness() {
    return serialize(false);
  }

  public String toHex() {
    return Hex.encode(serialize());
  }

  /** Double SHA-256 of the serialization without witnesses. */
  public Txid txid() {
    return Txid.fromInternalBytes(doubleSha256(serializeWithoutWitness()));
  }

  /** Double SHA-256 of the full serialization; equal to the txid when there is no witness. */
  public Txid wtxid() {
    return Txid.fromInternalBytes(doubleSha256(serialize()));
  }

  /** Size without witness data (BIP-141 "base size"). */
  public int baseSize() {
    return TransactionSizes.baseSize(inputs, outputs);
  }

  /** Size of {@link #serialize()} (BIP-141 "total size"). */
  public int totalSize() {
    if (!hasWitness()) {
      return baseSize();
    }
    int witnessBytes = 2;
    for (Witness witness : witnesses) {
      witnessBytes += witness.serializedSize();
    }
    return baseSize() + witnessBytes;
  }

  /** BIP-141 weight: base size × 3 + total size. */
  public long weight() {
    return (long) baseSize() * (TransactionSizes.WITNESS_SCALE - 1) + totalSize();
  }

  /** Virtual size: weight / 4 rounded up, the size fee rates are quoted against. */
  public long vsize() {
    return TransactionSizes.ceilDiv(weight(), TransactionSizes.WITNESS_SCALE);
  }

  private byte[] serialize(boolean withWitness) {
    return TransactionEncoding.write(this, withWitness);
  }

  private static byte[] doubleSha256(byte[] data) {
    return Sha256.of(Sha256.of(data));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Transaction t
        && version == t.version
        && lockTime == t.lockTime
        && inputs.equals(t.inputs)
        && outputs.equals(t.outputs)
        && witnesses.equals(t.witnesses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, inputs, outputs, lockTime, witnesses);
  }

  @Override
  public String toString() {
    return "Transaction[txid="
        + txid()
        + ", "
        + inputs.size()
        + " in, "
        + outputs.size()
        + " out, vsize="
        + vsize()
        + "]";
  }

  /** Collects the parts of an unsigned transaction; witnesses are attached afterwards. */
  public static final class Builder {
    private int version = 2;
    private long lockTime;
    private final List<TxIn> inputs = new ArrayList<>();
    private final List<TxOut> outputs = new ArrayList<>();

    private Builder() {}

    public Builder version(int version) {
      this.version = version;
      return this;
    }

    /** nLockTime: a block height below 500,000,000, a Unix time from there on. */
    public Builder lockTime(long lockTime) {
      this.lockTime = lockTime;
      return this;
    }

    /**
     * Adds an input with sequence {@link Sequence#RBF}, so that a stuck payment can be fee-bumped.
     */
    public Builder addInput(OutPoint outPoint) {
      return addInput(outPoint, Sequence.RBF);
    }

    public Builder addInput(OutPoint outPoint, long sequence) {
      return addInput(TxIn.of(outPoint, sequence));
    }

    public Builder addInput(TxIn input) {
      inputs.add(Objects.requireNonNull(input, "input"));
      return this;
    }

    public Builder addOutput(long valueSats, byte[] scriptPubKey) {
      return addOutput(new TxOut(valueSats, scriptPubKey));
    }

    public Builder addOutput(TxOut output) {
      outputs.add(Objects.requireNonNull(output, "output"));
      return this;
    }

    /**
     * The unsigned transaction.
     *
     * @throws IllegalArgumentException without inputs or outputs, or with outputs worth more than
     *     all bitcoin
     */
    public Transaction build() {
      long total = 0;
      for (TxOut output : outputs) {
        total += output.valueSats();
      }
      if (total > TxOut.MAX_MONEY) {
        throw new IllegalArgumentException("outputs add up to more than 21 million BTC");
      }
      return new Transaction(
          version, inputs, outputs, lockTime, Collections.nCopies(inputs.size(), Witness.EMPTY));
    }
  }
}
