package io.mpcw.protocol.signing;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.types.etcd.EtcdKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The payment → transaction binding in etcd: one transaction creates {@code
 * {prefix}/signing/{tx_id}} with the txid if it does not exist, or reads what is there, so two
 * nodes racing with different transactions cannot both win.
 */
public final class EtcdSigningLock implements SigningLock {
  private final KV kv;
  private final EtcdKeys keys;
  private final Duration callTimeout;

  public EtcdSigningLock(KV kv, EtcdKeys keys, Duration callTimeout) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
  }

  @Override
  public void claim(UUID txId, String txid) {
    ByteSequence key = bytes(keys.signingLock(txId));
    // A second round only when the binding vanished between the compare and the read.
    for (int attempt = 0; attempt < 2; attempt++) {
      TxnResponse response =
          call(
              kv.txn()
                  .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                  .Then(Op.put(key, bytes(txid), PutOption.DEFAULT))
                  .Else(Op.get(key, GetOption.DEFAULT))
                  .commit());
      if (response.isSucceeded()) {
        return;
      }
      List<KeyValue> found = response.getGetResponses().get(0).getKvs();
      if (!found.isEmpty()) {
        String bound = found.get(0).getValue().toString(StandardCharsets.UTF_8);
        if (!bound.equals(txid)) {
          throw new ProtocolException(
              ProtocolErrors.CONFLICTING_TRANSACTION,
              "payment " + txId + " was already signed as transaction " + bound + ", not " + txid);
        }
        return;
      }
    }
    throw new ProtocolException(
        ProtocolErrors.ETCD_UNAVAILABLE, "the signing lock of payment " + txId + " keeps changing");
  }

  private <T> T call(CompletableFuture<T> future) {
    return EtcdCalls.await(future, callTimeout);
  }

  private static ByteSequence bytes(String value) {
    return ByteSequence.from(value, StandardCharsets.UTF_8);
  }
}
