package io.mpcw.chain.simulator.ledger;

import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.tx.SighashException;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.tx.Witness;
import java.util.Arrays;
import java.util.List;

/**
 * Script verification for the only spends the wallet makes: Taproot key-path spends (BIP-341),
 * whose witness is one BIP-340 signature over the BIP-341 sighash, checked against the output key
 * in the spent scriptPubKey. Anything else (other output types, script-path spends, annexes) is
 * refused rather than accepted unchecked: a simulator that accepted what it cannot verify would
 * hide exactly the bugs it is there to catch.
 */
final class TaprootKeyPathVerifier {
  private static final int OP_1 = 0x51;
  private static final int PUSH_32 = 0x20;
  private static final int P2TR_SCRIPT_LENGTH = 34;
  private static final String FAILED = "mandatory-script-verify-flag-failed (";

  private TaprootKeyPathVerifier() {}

  /** Verifies every input of {@code tx}, whose input i spends {@code spent.get(i)}. */
  static void verify(Transaction tx, List<TxOut> spent) {
    TaprootSighash sighash = new TaprootSighash(tx, spent);
    for (int i = 0; i < tx.inputs().size(); i++) {
      verifyInput(tx, i, spent.get(i), sighash);
    }
  }

  private static void verifyInput(Transaction tx, int index, TxOut spent, TaprootSighash sighash) {
    byte[] script = spent.scriptPubKey();
    if (!isP2tr(script)) {
      throw refused("the simulator verifies only P2TR key-path spends");
    }
    if (tx.inputs().get(index).scriptSig().length != 0) {
      throw refused("Witness requires empty scriptSig");
    }
    Witness witness = tx.witness(index);
    if (witness.isEmpty()) {
      throw refused("Witness program was passed an empty witness");
    }
    if (witness.size() != 1) {
      throw refused("the simulator verifies only P2TR key-path spends");
    }
    byte[] signature = witness.item(0);
    byte[] message = message(sighash, index, signature);
    byte[] outputKey = Arrays.copyOfRange(script, 2, P2TR_SCRIPT_LENGTH);
    if (!Bip340.verify(message, outputKey, Arrays.copyOf(signature, Bip340.SIGNATURE_BYTES))) {
      throw refused("Invalid Schnorr signature");
    }
  }

  /** The signed message; a 65th byte is an explicit hash type, which may not be DEFAULT. */
  private static byte[] message(TaprootSighash sighash, int index, byte[] signature) {
    if (signature.length == Bip340.SIGNATURE_BYTES) {
      return sighash.sigHash(index, SighashType.DEFAULT);
    }
    if (signature.length != Bip340.SIGNATURE_BYTES + 1) {
      throw refused("Invalid Schnorr signature size");
    }
    int hashType = signature[Bip340.SIGNATURE_BYTES] & 0xff;
    try {
      SighashType type = SighashType.fromByte(hashType);
      if (type == SighashType.DEFAULT) {
        throw refused("Invalid Schnorr signature hash type");
      }
      return sighash.sigHash(index, type);
    } catch (SighashException e) {
      throw refused("Invalid Schnorr signature hash type");
    }
  }

  private static boolean isP2tr(byte[] script) {
    return script.length == P2TR_SCRIPT_LENGTH
        && (script[0] & 0xff) == OP_1
        && (script[1] & 0xff) == PUSH_32;
  }

  private static Rejection refused(String why) {
    return new Rejection(RejectReason.SCRIPT_VERIFY, FAILED + why + ")");
  }
}
