package io.mpcw.protocol.signing;

import java.util.List;
import java.util.Objects;

/**
 * What a node signed for one payment: the transaction's txid and every input's BIP-341 sighash
 * (hex, in input order). The txid fixes inputs and outputs; the sighashes also fix the spent
 * amounts and scripts, so two records are the same signing only when both are equal.
 */
public record SignedTransaction(String txid, List<String> sighashes) {
  public SignedTransaction {
    Objects.requireNonNull(txid, "txid");
    sighashes = List.copyOf(sighashes);
  }
}
