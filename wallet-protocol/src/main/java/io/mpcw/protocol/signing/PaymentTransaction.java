package io.mpcw.protocol.signing;

import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.share.WalletShare;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The transaction a signer is asked to sign, checked by the node itself: it parses, it spends only
 * the wallet's own outputs, it pays what was approved within the spend limits ({@link
 * PaymentCheck}); then the BIP-341 sighash of every input, computed here, is what gets signed.
 */
final class PaymentTransaction {
  /** The checked transaction's id (display hex) and the message each input signs. */
  record Checked(String txid, List<byte[]> messages) {}

  private final Network network;
  private final SpendLimits limits;

  PaymentTransaction(Network network, SpendLimits limits) {
    this.network = Objects.requireNonNull(network, "network");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * @param inputs how many inputs the session has nonces for
   */
  Checked check(SignShareRequest request, WalletShare share, int inputs) {
    Transaction tx = parse(request.unsignedTx());
    if (tx.inputs().size() != inputs) {
      throw new ProtocolException(
          ProtocolErrors.BAD_SIGNING_PACKAGE,
          "the transaction has " + tx.inputs().size() + " inputs, the session " + inputs);
    }
    List<TxOut> prevouts = prevouts(request.prevouts(), tx, walletScript(share));
    PaymentCheck.check(
        tx,
        prevouts,
        walletScript(share),
        recipientScript(request.recipient()),
        request.amountSats(),
        limits);
    TaprootSighash sighash = new TaprootSighash(tx, prevouts);
    List<byte[]> messages = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      messages.add(sighash.sigHash(i, SighashType.DEFAULT));
    }
    return new Checked(tx.txid().toDisplayHex(), messages);
  }

  /** Every spent output must be the wallet's own: this node signs for nothing else. */
  private static List<TxOut> prevouts(List<Prevout> given, Transaction tx, byte[] walletScript) {
    if (given.size() != tx.inputs().size()) {
      throw new ProtocolException(
          ProtocolErrors.PAYMENT_MISMATCH,
          given.size() + " spent outputs given for " + tx.inputs().size() + " inputs");
    }
    List<TxOut> prevouts = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      TxOut out;
      try {
        out = new TxOut(given.get(i).valueSats(), Hex.decode(given.get(i).scriptPubKey()));
      } catch (IllegalArgumentException e) {
        throw new ProtocolException(
            ProtocolErrors.MALFORMED_REQUEST, "spent output " + i + ": " + e.getMessage());
      }
      if (!Arrays.equals(out.scriptPubKey(), walletScript)) {
        throw new ProtocolException(
            ProtocolErrors.PAYMENT_MISMATCH, "input " + i + " spends an output not of this wallet");
      }
      prevouts.add(out);
    }
    return prevouts;
  }

  private byte[] recipientScript(String recipient) {
    try {
      return SegwitAddress.decode(recipient, network).scriptPubKey();
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          ProtocolErrors.PAYMENT_MISMATCH,
          "recipient is not a valid " + network + " address: " + e.getMessage());
    }
  }

  /** P2TR of the output key Q (the key package's verifying key is already tweaked). */
  private static byte[] walletScript(WalletShare share) {
    byte[] q = share.publicKeyPackage().verifyingKey().encodeXOnly();
    byte[] script = new byte[2 + q.length];
    script[0] = 0x51;
    script[1] = 0x20;
    System.arraycopy(q, 0, script, 2, q.length);
    return script;
  }

  private static Transaction parse(String hex) {
    try {
      return Transaction.parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST, "unsigned_tx is not a transaction: " + e.getMessage());
    }
  }
}
