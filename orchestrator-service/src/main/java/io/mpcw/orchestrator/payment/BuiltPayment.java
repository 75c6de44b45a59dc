package io.mpcw.orchestrator.payment;

import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import java.util.List;
import java.util.Optional;

/**
 * The transaction built for a payment and, once signed and sent, what became of it.
 *
 * @param prevouts the outputs the inputs spend, in input order (the sighash commits to them)
 */
public record BuiltPayment(
    Transaction unsigned,
    List<TxOut> prevouts,
    long feeSats,
    long changeSats,
    Optional<String> txid,
    Optional<byte[]> rawTx,
    List<String> signers,
    int signingAttempts,
    boolean broadcast,
    int confirmations,
    Optional<String> blockHash) {

  /** As the move out of {@code approved} leaves it: built, never signed, sent or seen. */
  static BuiltPayment justBuilt(
      Transaction unsigned, List<TxOut> prevouts, long feeSats, long changeSats) {
    return new BuiltPayment(
        unsigned,
        List.copyOf(prevouts),
        feeSats,
        changeSats,
        Optional.of(unsigned.txid().toDisplayHex()),
        Optional.empty(),
        List.of(),
        0,
        false,
        0,
        Optional.empty());
  }
}
