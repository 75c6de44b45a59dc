package io.mpcw.orchestrator.payment;

import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.TxOut;

/** One of a wallet's confirmed coins. */
public record Coin(String txid, int vout, long valueSats, byte[] scriptPubKey) {
  public Coin {
    scriptPubKey = scriptPubKey.clone();
  }

  @Override
  public byte[] scriptPubKey() {
    return scriptPubKey.clone();
  }

  public OutPoint outPoint() {
    return OutPoint.of(txid, vout);
  }

  public TxOut asTxOut() {
    return new TxOut(valueSats, scriptPubKey);
  }
}
