package io.mpcw.orchestrator.psbt;

import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.psbt.Psbt;
import io.mpcw.crypto.psbt.PsbtFields;
import io.mpcw.crypto.psbt.PsbtFormatException;
import io.mpcw.crypto.tx.KeyPathSizeEstimator;
import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.web.ApiException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A payment submitted as a PSBT built elsewhere, read into what the cluster votes on (one
 * recipient, one amount) and what it signs (exactly this transaction). Refused here, with the field
 * {@code psbt} named, is everything the nodes would refuse anyway or could not check: an input
 * without its witness UTXO or not locked to this wallet's key, a finalized input, no payment or
 * more than one, more than one change output, outputs above the inputs. What depends on each node's
 * own policy (the amount, the fee limit) is left to the nodes, which vote and check the transaction
 * themselves.
 *
 * @param psbt the PSBT as received, stored with the payment
 * @param recipient the address of the one output that does not pay the wallet
 */
public record PsbtPayment(
    byte[] psbt,
    Transaction unsigned,
    List<TxOut> prevouts,
    String recipient,
    long amountSats,
    long feeSats,
    BigDecimal feeRateSatVb) {
  private static final String FIELD = "psbt";

  /** The same bounds as a payment by {@code amount_sats} and {@code fee_rate_sat_vb}. */
  private static final long MIN_AMOUNT_SATS = 546;

  private static final BigDecimal MAX_FEE_RATE = BigDecimal.valueOf(10_000);

  public PsbtPayment {
    psbt = psbt.clone();
    prevouts = List.copyOf(prevouts);
  }

  @Override
  public byte[] psbt() {
    return psbt.clone();
  }

  /**
   * @throws ApiException a validation problem naming {@code psbt}, saying what is wrong
   */
  public static PsbtPayment read(String base64, Wallet wallet) {
    Psbt parsed;
    try {
      parsed = Psbt.parseBase64(base64);
    } catch (PsbtFormatException e) {
      throw invalid("is not a valid BIP-174 PSBT: " + e.getMessage());
    }
    return read(parsed, wallet);
  }

  static PsbtPayment read(Psbt psbt, Wallet wallet) {
    byte[] walletScript = wallet.scriptPubKey().orElseThrow();
    byte[] group = wallet.groupPublicKey().orElseThrow();
    byte[] internalKey = Arrays.copyOfRange(group, 1, group.length);
    Transaction tx;
    try {
      tx = psbt.unsignedTx().toTransaction();
    } catch (PsbtFormatException | IllegalArgumentException e) {
      throw invalid("its transaction cannot be paid: " + e.getMessage());
    }
    if (tx.version() != 1 && tx.version() != 2) {
      throw invalid("transaction version " + tx.version() + " is neither 1 nor 2");
    }
    Set<OutPoint> seen = new HashSet<>();
    long in = 0;
    for (int i = 0; i < tx.inputs().size(); i++) {
      if (!seen.add(tx.inputs().get(i).outPoint())) {
        throw invalid("input " + i + " spends the same coin as an earlier input");
      }
      if (psbt.input(i).value(PsbtFields.IN_FINAL_SCRIPTWITNESS).isPresent()
          || psbt.input(i).value(PsbtFields.IN_FINAL_SCRIPTSIG).isPresent()) {
        throw invalid("input " + i + " is already finalized");
      }
      int input = i;
      TxOut spent =
          psbt.witnessUtxo(i)
              .orElseThrow(
                  () -> invalid("input " + input + " has no witness UTXO (PSBT_IN_WITNESS_UTXO)"));
      if (!Arrays.equals(spent.scriptPubKey(), walletScript)) {
        throw invalid("input " + i + " does not spend this wallet's Taproot output");
      }
      Optional<byte[]> key = psbt.tapInternalKey(i);
      if (key.isPresent() && !Arrays.equals(key.get(), internalKey)) {
        throw invalid("input " + i + ": PSBT_IN_TAP_INTERNAL_KEY is not this wallet's key");
      }
      if (psbt.tapMerkleRoot(i).isPresent()) {
        throw invalid("input " + i + " has a script tree; this wallet's key is key-path only");
      }
      in += spent.valueSats();
    }
    int payment = -1;
    int changeOutputs = 0;
    long out = 0;
    for (int o = 0; o < tx.outputs().size(); o++) {
      TxOut output = tx.outputs().get(o);
      out += output.valueSats();
      if (Arrays.equals(output.scriptPubKey(), walletScript)) {
        changeOutputs++;
      } else if (payment >= 0) {
        throw invalid(
            "outputs " + payment + " and " + o + " both pay others: one payment per PSBT");
      } else {
        payment = o;
      }
    }
    if (payment < 0) {
      throw invalid("no output pays anyone but the wallet");
    }
    if (changeOutputs > 1) {
      throw invalid(changeOutputs + " outputs pay the wallet: at most one change output");
    }
    if (out > in) {
      throw invalid("the outputs (" + out + " sats) exceed the inputs (" + in + " sats)");
    }
    TxOut paid = tx.outputs().get(payment);
    int paidIndex = payment;
    String recipient =
        SegwitAddress.fromScriptPubKey(wallet.bitcoinNetwork(), paid.scriptPubKey())
            .map(SegwitAddress::toString)
            .orElseThrow(
                () -> invalid("output " + paidIndex + " pays a script that has no segwit address"));
    if (paid.valueSats() < MIN_AMOUNT_SATS) {
      throw invalid(
          "output "
              + paidIndex
              + " pays "
              + paid.valueSats()
              + " sats, below the minimum of "
              + MIN_AMOUNT_SATS);
    }
    long fee = in - out;
    if (fee == 0) {
      throw invalid("the transaction pays no fee");
    }
    // up, so that a tiny fee never shows as 0; bounded as fee_rate_sat_vb is
    BigDecimal rate =
        BigDecimal.valueOf(fee)
            .divide(BigDecimal.valueOf(KeyPathSizeEstimator.vsize(tx)), 3, RoundingMode.UP);
    if (rate.compareTo(MAX_FEE_RATE) > 0) {
      throw invalid(
          "its fee of " + fee + " sats is " + rate + " sat/vB, above the bound of " + MAX_FEE_RATE);
    }
    List<TxOut> prevouts =
        IntStream.range(0, tx.inputs().size())
            .mapToObj(i -> psbt.witnessUtxo(i).orElseThrow())
            .toList();
    return new PsbtPayment(psbt.serialize(), tx, prevouts, recipient, paid.valueSats(), fee, rate);
  }

  private static ApiException invalid(String message) {
    return ApiException.invalid(FIELD, message);
  }
}
