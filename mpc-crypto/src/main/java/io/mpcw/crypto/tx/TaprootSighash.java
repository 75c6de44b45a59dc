package io.mpcw.crypto.tx;

import io.mpcw.crypto.hash.Sha256;
import io.mpcw.crypto.hash.TaggedHash;
import java.util.List;
import java.util.Optional;

/**
 * BIP-341 signature hashes for Taproot key-path spends of one transaction.
 *
 * <p>The five hashes over all prevouts, amounts, scriptPubKeys, sequences and outputs are the same
 * for every input, so they are computed once here and reused: signing n inputs costs O(n), not
 * O(n²) as the legacy sighash did. Instances are immutable and thread-safe.
 */
public final class TaprootSighash {
  /** Annexes are recognised by this first byte (BIP-341). */
  public static final int ANNEX_TAG = 0x50;

  private static final int EPOCH = 0x00;
  private static final int ANNEX_PRESENT = 0x01;

  private final Transaction tx;
  private final List<TxOut> spentOutputs;
  private final byte[] hashPrevouts;
  private final byte[] hashAmounts;
  private final byte[] hashScriptPubkeys;
  private final byte[] hashSequences;
  private final byte[] hashOutputs;

  /**
   * Prepares the hashes for {@code tx}, whose input i spends {@code spentOutputs.get(i)}. BIP-341
   * commits to every spent amount and script, so all of them are needed even to sign one input.
   */
  public TaprootSighash(Transaction tx, List<TxOut> spentOutputs) {
    if (spentOutputs.size() != tx.inputs().size()) {
      throw new IllegalArgumentException(
          spentOutputs.size() + " spent outputs for " + tx.inputs().size() + " inputs");
    }
    this.tx = tx;
    this.spentOutputs = List.copyOf(spentOutputs);
    ByteWriter prevouts = new ByteWriter(tx.inputs().size() * OutPoint.SIZE);
    ByteWriter sequences = new ByteWriter(tx.inputs().size() * 4);
    for (TxIn input : tx.inputs()) {
      input.outPoint().writeTo(prevouts);
      sequences.writeUInt32(input.sequence());
    }
    ByteWriter amounts = new ByteWriter(spentOutputs.size() * 8);
    ByteWriter scripts = new ByteWriter(spentOutputs.size() * 35);
    for (TxOut spent : this.spentOutputs) {
      amounts.writeInt64(spent.valueSats());
      scripts.writeVarBytes(spent.scriptPubKey());
    }
    ByteWriter outputs = new ByteWriter(tx.outputs().size() * 43);
    for (TxOut output : tx.outputs()) {
      output.writeTo(outputs);
    }
    hashPrevouts = Sha256.of(prevouts.toByteArray());
    hashAmounts = Sha256.of(amounts.toByteArray());
    hashScriptPubkeys = Sha256.of(scripts.toByteArray());
    hashSequences = Sha256.of(sequences.toByteArray());
    hashOutputs = Sha256.of(outputs.toByteArray());
  }

  /** The 32-byte hash a key-path signature for input {@code inputIndex} signs. */
  public byte[] sigHash(int inputIndex, SighashType type) {
    return sigHash(inputIndex, type, Optional.empty());
  }

  /**
   * {@code hash_TapSighash(0x00 || SigMsg)}: the message a BIP-340 signature for input {@code
   * inputIndex} signs, with the annex that input's witness will carry, if any.
   *
   * @throws SighashException for SINGLE without an output at {@code inputIndex}, or an annex that
   *     does not start with 0x50
   */
  public byte[] sigHash(int inputIndex, SighashType type, Optional<byte[]> annex) {
    return TaggedHash.hash(TaggedHash.TAP_SIGHASH, sigMsg(inputIndex, type, annex));
  }

  /** As {@link #sigHash(int, SighashType)} for a raw hash type byte, which must be defined. */
  public byte[] sigHash(int inputIndex, int hashType) {
    return sigHash(inputIndex, SighashType.fromByte(hashType));
  }

  /**
   * The bytes hashed under the {@code TapSighash} tag: the epoch byte 0x00 followed by BIP-341's
   * SigMsg for a key-path spend (ext_flag 0). This is what the BIP's wallet vectors call sigMsg.
   */
  public byte[] sigMsg(int inputIndex, SighashType type, Optional<byte[]> annex) {
    if (inputIndex < 0 || inputIndex >= tx.inputs().size()) {
      throw new IndexOutOfBoundsException(
          "input " + inputIndex + " of a transaction with " + tx.inputs().size() + " inputs");
    }
    if (type.signsSingleOutput() && inputIndex >= tx.outputs().size()) {
      throw new SighashException(
          "SIGHASH_SINGLE for input "
              + inputIndex
              + " needs an output at the same index, but there are only "
              + tx.outputs().size()
              + " outputs");
    }
    annex.ifPresent(TaprootSighash::checkAnnex);

    ByteWriter msg = new ByteWriter(256);
    msg.writeByte(EPOCH).writeByte(type.value());
    msg.writeUInt32(tx.version() & 0xffffffffL).writeUInt32(tx.lockTime());
    if (!type.anyoneCanPay()) {
      msg.writeBytes(hashPrevouts)
          .writeBytes(hashAmounts)
          .writeBytes(hashScriptPubkeys)
          .writeBytes(hashSequences);
    }
    if (type.signsAllOutputs()) {
      msg.writeBytes(hashOutputs);
    }
    msg.writeByte(annex.isPresent() ? ANNEX_PRESENT : 0);
    if (type.anyoneCanPay()) {
      TxIn input = tx.inputs().get(inputIndex);
      TxOut spent = spentOutputs.get(inputIndex);
      input.outPoint().writeTo(msg);
      msg.writeInt64(spent.valueSats());
      msg.writeVarBytes(spent.scriptPubKey());
      msg.writeUInt32(input.sequence());
    } else {
      msg.writeUInt32(inputIndex);
    }
    if (annex.isPresent()) {
      msg.writeBytes(Sha256.of(new ByteWriter(0).writeVarBytes(annex.get()).toByteArray()));
    }
    if (type.signsSingleOutput()) {
      msg.writeBytes(Sha256.of(tx.outputs().get(inputIndex).serialize()));
    }
    return msg.toByteArray();
  }

  /** SHA256 of all spent outpoints (BIP-341 sha_prevouts). */
  public byte[] hashPrevouts() {
    return hashPrevouts.clone();
  }

  /** SHA256 of all spent amounts (sha_amounts). */
  public byte[] hashAmounts() {
    return hashAmounts.clone();
  }

  /** SHA256 of all spent scriptPubKeys, each length-prefixed (sha_scriptpubkeys). */
  public byte[] hashScriptPubkeys() {
    return hashScriptPubkeys.clone();
  }

  /** SHA256 of all input sequences (sha_sequences). */
  public byte[] hashSequences() {
    return hashSequences.clone();
  }

  /** SHA256 of all outputs (sha_outputs). */
  public byte[] hashOutputs() {
    return hashOutputs.clone();
  }

  private static void checkAnnex(byte[] annex) {
    if (annex.length == 0 || (annex[0] & 0xff) != ANNEX_TAG) {
      throw new SighashException("an annex must start with the byte 0x50");
    }
  }
}
