package io.mpcw.orchestrator.psbt;

import io.mpcw.crypto.psbt.Psbt;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.orchestrator.payment.BuiltPayment;
import java.util.Arrays;

/**
 * A payment's transaction as a BIP-174 PSBT with the BIP-371 Taproot fields, so any PSBT tool can
 * check what is paid and from which coins: every input gets the output it spends ({@code
 * PSBT_IN_WITNESS_UTXO}) and the wallet's untweaked x-only group key ({@code
 * PSBT_IN_TAP_INTERNAL_KEY}); every output back to the wallet (change) gets that key too ({@code
 * PSBT_OUT_TAP_INTERNAL_KEY}), which is how a tool tells change from payment. The wallet's key is
 * key-path only (empty script tree), so there is no {@code PSBT_IN_TAP_MERKLE_ROOT}. Once the nodes
 * have signed, each input carries its BIP-340 signature as {@code PSBT_IN_TAP_KEY_SIG}, and a tool
 * can finalize and extract the very transaction the orchestrator broadcasts.
 */
final class PaymentPsbt {
  private PaymentPsbt() {}

  static Psbt of(BuiltPayment payment, byte[] internalKey, byte[] walletScript) {
    Transaction unsigned = payment.unsigned();
    Psbt psbt = Psbt.create(unsigned);
    for (int i = 0; i < unsigned.inputs().size(); i++) {
      psbt = psbt.withWitnessUtxo(i, payment.prevouts().get(i)).withTapInternalKey(i, internalKey);
    }
    for (int o = 0; o < unsigned.outputs().size(); o++) {
      TxOut out = unsigned.outputs().get(o);
      if (Arrays.equals(out.scriptPubKey(), walletScript)) {
        psbt = psbt.withOutputTapInternalKey(o, internalKey);
      }
    }
    if (payment.rawTx().isPresent()) {
      Transaction signed = Transaction.parse(payment.rawTx().get());
      for (int i = 0; i < signed.inputs().size(); i++) {
        if (signed.witness(i).size() == 1) {
          psbt = psbt.withTapKeySig(i, signed.witness(i).item(0));
        }
      }
    }
    return psbt;
  }
}
