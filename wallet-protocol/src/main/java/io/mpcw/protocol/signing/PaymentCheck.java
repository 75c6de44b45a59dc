package io.mpcw.protocol.signing;

import io.mpcw.crypto.tx.DustLimit;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a node checks about the transaction itself before it signs: it pays exactly the approved
 * amount to the approved recipient, anything else goes back to the wallet as one change output, and
 * the fee is within this node's limit. Pure; the approval itself is {@link ApprovalCheck}'s job.
 */
public final class PaymentCheck {
  private PaymentCheck() {}

  /** What the transaction spends on top of the payment. */
  public record CheckedSpend(long feeSats, long changeSats) {}

  /**
   * @param prevouts the outputs spent by the inputs, in input order
   * @throws ProtocolException {@code PAYMENT_MISMATCH} or {@code FEE_TOO_HIGH}, saying why
   */
  public static CheckedSpend check(
      Transaction unsigned,
      List<TxOut> prevouts,
      byte[] walletScript,
      byte[] recipientScript,
      long amountSats,
      SpendLimits limits) {
    if (unsigned.version() != 1 && unsigned.version() != 2) {
      throw mismatch("transaction version " + unsigned.version() + " is neither 1 nor 2");
    }
    if (unsigned.inputs().isEmpty()) {
      throw mismatch("the transaction has no inputs");
    }
    if (prevouts.size() != unsigned.inputs().size()) {
      throw mismatch(
          prevouts.size() + " spent outputs given for " + unsigned.inputs().size() + " inputs");
    }
    int payment = paymentOutput(unsigned.outputs(), recipientScript, amountSats);
    long change = changeValue(unsigned.outputs(), payment, walletScript, recipientScript);
    long in = 0;
    for (TxOut prevout : prevouts) {
      in = Math.addExact(in, prevout.valueSats());
    }
    long out = 0;
    for (TxOut output : unsigned.outputs()) {
      out = Math.addExact(out, output.valueSats());
    }
    long fee = in - out;
    if (fee < 0) {
      throw mismatch("the outputs (" + out + " sats) exceed the inputs (" + in + " sats)");
    }
    if (fee > limits.maxFeeSats()) {
      throw new ProtocolException(
          ProtocolErrors.FEE_TOO_HIGH,
          "fee " + fee + " sats is above this node's limit of " + limits.maxFeeSats() + " sats");
    }
    return new CheckedSpend(fee, change);
  }

  /**
   * The index of the one output paying the recipient. When the recipient is the wallet itself, the
   * payment is the output of exactly the approved amount and the other (if any) is change.
   */
  private static int paymentOutput(List<TxOut> outputs, byte[] recipientScript, long amountSats) {
    List<Integer> toRecipient = new ArrayList<>();
    for (int i = 0; i < outputs.size(); i++) {
      if (Arrays.equals(outputs.get(i).scriptPubKey(), recipientScript)) {
        toRecipient.add(i);
      }
    }
    if (toRecipient.isEmpty()) {
      throw mismatch("no output pays the approved recipient");
    }
    for (int i : toRecipient) {
      if (outputs.get(i).valueSats() == amountSats) {
        return i;
      }
    }
    int first = toRecipient.get(0);
    throw mismatch(
        "output "
            + first
            + " pays "
            + outputs.get(first).valueSats()
            + " sats, approved "
            + amountSats);
  }

  /** The value of the change output, 0 when there is none; every other output is refused. */
  private static long changeValue(
      List<TxOut> outputs, int payment, byte[] walletScript, byte[] recipientScript) {
    if (outputs.size() > 2) {
      throw mismatch(
          outputs.size() + " outputs: only the payment and at most one change output are signed");
    }
    for (int i = 0; i < outputs.size(); i++) {
      if (i == payment) {
        continue;
      }
      TxOut change = outputs.get(i);
      if (!Arrays.equals(change.scriptPubKey(), walletScript)) {
        if (Arrays.equals(change.scriptPubKey(), recipientScript)) {
          throw mismatch("output " + i + " pays the recipient a second time");
        }
        throw mismatch("output " + i + " pays neither the approved recipient nor the wallet");
      }
      if (DustLimit.isDust(change)) {
        throw mismatch(
            "change output "
                + i
                + " of "
                + change.valueSats()
                + " sats is below the dust limit of "
                + DustLimit.of(change.scriptPubKey())
                + " sats");
      }
      return change.valueSats();
    }
    return 0;
  }

  private static ProtocolException mismatch(String why) {
    return new ProtocolException(ProtocolErrors.PAYMENT_MISMATCH, why);
  }
}
