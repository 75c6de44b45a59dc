package io.mpcw.crypto.psbt;

import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A BIP-174 Partially Signed Bitcoin Transaction, version 0, with the BIP-371 Taproot fields read
 * and written by name. Immutable: the {@code with…} methods return a new PSBT. Parsing checks the
 * structure (magic, maps, one input map per input and one output map per output, no trailing bytes,
 * no duplicate keys) and the shape of every known field; it does not check that the inputs are
 * anyone's in particular: that is the caller's business.
 */
public final class Psbt {
  private static final byte[] MAGIC = {0x70, 0x73, 0x62, 0x74, (byte) 0xff};

  /** Larger than any standard transaction with its prevouts; bounds what a caller must buffer. */
  public static final int MAX_SIZE = 4_000_000;

  private final PsbtMap global;
  private final UnsignedTx tx;
  private final List<PsbtMap> inputs;
  private final List<PsbtMap> outputs;

  private Psbt(PsbtMap global, UnsignedTx tx, List<PsbtMap> inputs, List<PsbtMap> outputs) {
    this.global = global;
    this.tx = tx;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
  }

  /**
   * The Creator role: a PSBT for an unsigned transaction, with empty input and output maps.
   *
   * @throws IllegalArgumentException for a transaction that carries a scriptSig or witness
   */
  public static Psbt create(Transaction unsigned) {
    UnsignedTx tx = UnsignedTx.of(unsigned);
    PsbtMap global = PsbtMap.EMPTY.with(new byte[] {PsbtFields.GLOBAL_UNSIGNED_TX}, tx.serialize());
    return new Psbt(
        global,
        tx,
        Collections.nCopies(tx.inputs().size(), PsbtMap.EMPTY),
        Collections.nCopies(tx.outputs().size(), PsbtMap.EMPTY));
  }

  /** Parses the binary form. */
  public static Psbt parse(byte[] bytes) {
    if (bytes.length > MAX_SIZE) {
      throw new PsbtFormatException(
          "PSBT of " + bytes.length + " bytes is larger than " + MAX_SIZE);
    }
    if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new PsbtFormatException("not a PSBT: the magic bytes 70736274ff are missing");
    }
    PsbtReader in = new PsbtReader(Arrays.copyOfRange(bytes, MAGIC.length, bytes.length));
    PsbtMap global = PsbtMap.read(in, "the global map");
    PsbtFields.checkGlobal(global);
    byte[] txBytes =
        global
            .value(PsbtFields.GLOBAL_UNSIGNED_TX)
            .orElseThrow(() -> new PsbtFormatException("no global unsigned transaction"));
    UnsignedTx tx = UnsignedTx.parse(txBytes);
    List<PsbtMap> inputs = new ArrayList<>();
    for (int i = 0; i < tx.inputs().size(); i++) {
      PsbtMap map = PsbtMap.read(in, "input " + i);
      PsbtFields.checkInput(map, i);
      checkNonWitnessUtxo(map, tx, i);
      inputs.add(map);
    }
    List<PsbtMap> outputs = new ArrayList<>();
    for (int i = 0; i < tx.outputs().size(); i++) {
      PsbtMap map = PsbtMap.read(in, "output " + i);
      PsbtFields.checkOutput(map, i);
      outputs.add(map);
    }
    if (in.remaining() != 0) {
      throw new PsbtFormatException(in.remaining() + " trailing byte(s) after the last map");
    }
    return new Psbt(global, tx, inputs, outputs);
  }

  /** Parses the Base64 form (RFC 4648 section 4, padded, as BIP-174 specifies). */
  public static Psbt parseBase64(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new PsbtFormatException("not Base64: " + e.getMessage(), e);
    }
    return parse(bytes);
  }

  private static void checkNonWitnessUtxo(PsbtMap map, UnsignedTx tx, int index) {
    Optional<byte[]> raw = map.value(PsbtFields.IN_NON_WITNESS_UTXO);
    if (raw.isEmpty()) {
      return;
    }
    Transaction previous;
    try {
      previous = Transaction.parse(raw.get());
    } catch (IllegalArgumentException e) {
      throw new PsbtFormatException("input " + index + ": non-witness utxo: " + e.getMessage(), e);
    }
    if (!previous.txid().equals(tx.inputs().get(index).outPoint().txid())) {
      throw new PsbtFormatException(
          "input " + index + ": the non-witness utxo is not the transaction the input spends");
    }
  }

  public byte[] serialize() {
    PsbtWriter out = new PsbtWriter().writeBytes(MAGIC);
    global.writeTo(out);
    inputs.forEach(m -> m.writeTo(out));
    outputs.forEach(m -> m.writeTo(out));
    return out.toByteArray();
  }

  public String toBase64() {
    return Base64.getEncoder().encodeToString(serialize());
  }

  public UnsignedTx unsignedTx() {
    return tx;
  }

  public PsbtMap global() {
    return global;
  }

  public PsbtMap input(int index) {
    return inputs.get(index);
  }

  public PsbtMap output(int index) {
    return outputs.get(index);
  }

  /** {@code PSBT_IN_WITNESS_UTXO}: the output this input spends. */
  public Optional<TxOut> witnessUtxo(int input) {
    return inputs
        .get(input)
        .value(PsbtFields.IN_WITNESS_UTXO)
        .map(v -> UnsignedTx.readTxOut(new PsbtReader(v)));
  }

  /** {@code PSBT_IN_TAP_INTERNAL_KEY}: the 32-byte x-only internal key. */
  public Optional<byte[]> tapInternalKey(int input) {
    return inputs.get(input).value(PsbtFields.IN_TAP_INTERNAL_KEY);
  }

  /** {@code PSBT_IN_TAP_MERKLE_ROOT}: the script tree's root, absent for a key-path-only key. */
  public Optional<byte[]> tapMerkleRoot(int input) {
    return inputs.get(input).value(PsbtFields.IN_TAP_MERKLE_ROOT);
  }

  /** {@code PSBT_IN_TAP_KEY_SIG}: the key-path signature (64 bytes, or 65 with a sighash byte). */
  public Optional<byte[]> tapKeySig(int input) {
    return inputs.get(input).value(PsbtFields.IN_TAP_KEY_SIG);
  }

  /** {@code PSBT_OUT_TAP_INTERNAL_KEY}: the internal key behind a Taproot output (e.g. change). */
  public Optional<byte[]> outputTapInternalKey(int output) {
    return outputs.get(output).value(PsbtFields.OUT_TAP_INTERNAL_KEY);
  }

  public Psbt withWitnessUtxo(int input, TxOut spent) {
    return withInput(input, PsbtFields.IN_WITNESS_UTXO, spent.serialize(), -1);
  }

  public Psbt withTapInternalKey(int input, byte[] xOnly) {
    return withInput(input, PsbtFields.IN_TAP_INTERNAL_KEY, xOnly, 32);
  }

  public Psbt withTapMerkleRoot(int input, byte[] root) {
    return withInput(input, PsbtFields.IN_TAP_MERKLE_ROOT, root, 32);
  }

  /** Sets the key-path signature; a 64-byte one means SIGHASH_DEFAULT. */
  public Psbt withTapKeySig(int input, byte[] signature) {
    if (signature.length != 64 && signature.length != 65) {
      throw new IllegalArgumentException("a Taproot key-path signature is 64 or 65 bytes");
    }
    return withInput(input, PsbtFields.IN_TAP_KEY_SIG, signature, -1);
  }

  public Psbt withOutputTapInternalKey(int output, byte[] xOnly) {
    if (xOnly.length != 32) {
      throw new IllegalArgumentException("an x-only key is 32 bytes");
    }
    List<PsbtMap> next = new ArrayList<>(outputs);
    next.set(output, next.get(output).with(new byte[] {PsbtFields.OUT_TAP_INTERNAL_KEY}, xOnly));
    return new Psbt(global, tx, inputs, next);
  }

  /**
   * Sets any field of an input map (the key with its type byte first), e.g. one this class has no
   * name for.
   *
   * @throws PsbtFormatException when the field has the wrong shape for its type, or does not fit
   *     the transaction
   */
  public Psbt withInputEntry(int input, byte[] key, byte[] value) {
    if (key.length == 0) {
      throw new IllegalArgumentException("a key has at least its type byte");
    }
    List<PsbtMap> next = new ArrayList<>(inputs);
    next.set(input, inputs.get(input).with(key, value));
    // parsed again: every check a received PSBT gets (e.g. a non-witness UTXO's txid)
    return parse(new Psbt(global, tx, next, outputs).serialize());
  }

  private Psbt withInput(int input, int type, byte[] value, int length) {
    if (length >= 0 && value.length != length) {
      throw new IllegalArgumentException("field " + type + " takes " + length + " bytes");
    }
    List<PsbtMap> next = new ArrayList<>(inputs);
    next.set(input, next.get(input).with(new byte[] {(byte) type}, value));
    return new Psbt(global, tx, next, outputs);
  }
}
