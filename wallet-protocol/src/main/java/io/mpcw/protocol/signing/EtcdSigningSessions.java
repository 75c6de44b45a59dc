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
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.types.etcd.EtcdKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The fate of every FROST session, decided in etcd under {@code
 * {prefix}/signing/{tx_id}/sessions/{session_id}/}: a node records its shares ({@code
 * shares/{node_id}}, a {@link ShareRecord} signed by the node) in one transaction that requires the
 * key absent and {@code aborted} absent; a coordinator aborts in one transaction that requires one
 * signer's share key absent. A share key absent when {@code aborted} is written can never be
 * written afterwards, so a session is either complete (every signer's key exists) or aborted, never
 * both. Keys are only ever created, never changed or deleted, which is what makes the
 * create-revision compares final.
 */
public final class EtcdSigningSessions {
  private final KV kv;
  private final EtcdKeys keys;
  private final Duration callTimeout;

  public EtcdSigningSessions(KV kv, EtcdKeys keys, Duration callTimeout) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
  }

  /**
   * How node {@code self} records its shares: each record signed with its identity key ({@link
   * ShareRecord}), so no one else can write a record a coordinator would take for this node's.
   */
  public ShareRecorder recorder(IdentityCredentials self) {
    Objects.requireNonNull(self, "self");
    return (txId, shares) -> record(ShareRecord.sign(self, txId, shares));
  }

  private void record(ShareRecord signed) {
    UUID txId = signed.txId();
    SignShareResponse shares = signed.shares();
    ByteSequence share = bytes(keys.signingShare(txId, shares.sessionId(), shares.nodeId()));
    ByteSequence aborted = bytes(keys.signingAborted(txId, shares.sessionId()));
    TxnResponse response =
        call(
            kv.txn()
                .If(
                    new Cmp(share, Cmp.Op.EQUAL, CmpTarget.createRevision(0)),
                    new Cmp(aborted, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(share, ByteSequence.from(signed.encode()), put()))
                .Else(Op.get(aborted, GetOption.DEFAULT))
                .commit());
    if (response.isSucceeded()) {
      return;
    }
    // Else ran at the same revision as the failed compare: aborted, or else the share key exists
    if (!response.getGetResponses().get(0).getKvs().isEmpty()) {
      throw new ProtocolException(
          ProtocolErrors.SESSION_ABORTED,
          "signing session " + shares.sessionId() + " of payment " + txId + " was aborted");
    }
    throw new ProtocolException(
        ProtocolErrors.SHARE_ALREADY_RECORDED,
        "shares of "
            + shares.nodeId()
            + " for signing session "
            + shares.sessionId()
            + " are already recorded");
  }

  /** The session as etcd holds it now (one range read). */
  public SessionRecord read(UUID txId, UUID sessionId) {
    return parse(
        txId,
        sessionId,
        call(kv.get(bytes(keys.signingSession(txId, sessionId)), prefix())).getKvs());
  }

  /**
   * Ends the session: aborts it unless every one of {@code signers} has its shares recorded. Each
   * try is one transaction that writes {@code aborted} only if the share key of a signer found
   * missing is still absent (etcd compares are a conjunction; one absent key is exactly "not all
   * present"). A share that lands meanwhile fails the compare, and the try is repeated with what
   * the failed transaction read; shares are only ever added, so this ends within {@code
   * signers.size() + 1} tries.
   *
   * @return the session afterwards: {@link SessionRecord#aborted()} or {@link
   *     SessionRecord#completeFor} {@code signers}, never both
   * @throws ProtocolException {@code ETCD_UNAVAILABLE}: nothing is decided, ask again later
   */
  public SessionRecord abortUnlessComplete(
      UUID txId, UUID sessionId, List<String> signers, String reason) {
    ByteSequence session = bytes(keys.signingSession(txId, sessionId));
    ByteSequence aborted = bytes(keys.signingAborted(txId, sessionId));
    SessionRecord now = read(txId, sessionId);
    for (int attempt = 0; attempt <= signers.size() + 1; attempt++) {
      List<String> missing = now.missing(signers);
      if (now.aborted() || missing.isEmpty()) {
        return now;
      }
      ByteSequence absent = bytes(keys.signingShare(txId, sessionId, missing.get(0)));
      TxnResponse response =
          call(
              kv.txn()
                  .If(
                      new Cmp(absent, Cmp.Op.EQUAL, CmpTarget.createRevision(0)),
                      new Cmp(aborted, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                  .Then(Op.put(aborted, bytes(reason), put()), Op.get(session, prefix()))
                  .Else(Op.get(session, prefix()))
                  .commit());
      now = parse(txId, sessionId, response.getGetResponses().get(0).getKvs());
    }
    throw new ProtocolException(
        ProtocolErrors.ETCD_UNAVAILABLE, "signing session " + sessionId + " keeps changing");
  }

  private SessionRecord parse(UUID txId, UUID sessionId, List<KeyValue> kvs) {
    String sharesPrefix = keys.signingSharesOf(txId, sessionId);
    String abortedKey = keys.signingAborted(txId, sessionId);
    Map<String, byte[]> shares = new HashMap<>();
    Optional<String> aborted = Optional.empty();
    for (KeyValue kv : kvs) {
      String key = kv.getKey().toString(StandardCharsets.UTF_8);
      if (key.equals(abortedKey)) {
        aborted = Optional.of(kv.getValue().toString(StandardCharsets.UTF_8));
      } else if (key.startsWith(sharesPrefix)) {
        shares.put(key.substring(sharesPrefix.length()), kv.getValue().getBytes());
      }
    }
    return new SessionRecord(shares, aborted);
  }

  private <T> T call(CompletableFuture<T> future) {
    return EtcdCalls.await(future, callTimeout);
  }

  private static GetOption prefix() {
    return GetOption.builder().isPrefix(true).build();
  }

  private static PutOption put() {
    return PutOption.DEFAULT;
  }

  private static ByteSequence bytes(String value) {
    return ByteSequence.from(value, StandardCharsets.UTF_8);
  }
}
