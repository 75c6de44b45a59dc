package io.mpcw.protocol.signing;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
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
import io.mpcw.votes.CoalescedTxns;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The fate of every FROST session, decided in etcd: each signer records its shares (a {@link
 * ShareRecord} signed by the node) under its own prefix ({@link EtcdKeys#signingShare}) in one
 * transaction that requires its share key absent and the session's abort key ({@link
 * EtcdKeys#signingAborted}, under the orchestrator's prefix) absent; a coordinator aborts in one
 * transaction that requires one signer's share key absent. A share key absent when the abort key is
 * written can never be written afterwards (its transaction compares the abort key), so a session is
 * either complete (every signer's key exists) or aborted, never both. The keys of one session live
 * under different prefixes, so they are read with one transaction of gets (one revision), never
 * with a range. Keys are only ever created, never changed or deleted, which is what makes the
 * create-revision compares final.
 */
public final class EtcdSigningSessions {
  private final KV kv;
  private final EtcdKeys keys;
  private final Duration callTimeout;
  private final CoalescedTxns reads;

  public EtcdSigningSessions(KV kv, EtcdKeys keys, Duration callTimeout) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
    // a coordinator settles many sessions at once under load: their reads share a transaction
    this.reads = new CoalescedTxns(kv, callTimeout);
  }

  /**
   * How node {@code self} records its shares: each record signed with its identity key ({@link
   * ShareRecord}), so no one else can write a record a coordinator would take for this node's.
   */
  public ShareRecorder recorder(IdentityCredentials self) {
    Objects.requireNonNull(self, "self");
    return (txId, epoch, shares) -> record(ShareRecord.sign(self, txId, epoch, shares));
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
      throw aborted(txId, shares.sessionId());
    }
    throw alreadyRecorded(shares);
  }

  static ProtocolException aborted(UUID txId, UUID sessionId) {
    return new ProtocolException(
        ProtocolErrors.SESSION_ABORTED,
        "signing session " + sessionId + " of payment " + txId + " was aborted");
  }

  static ProtocolException alreadyRecorded(SignShareResponse shares) {
    return new ProtocolException(
        ProtocolErrors.SHARE_ALREADY_RECORDED,
        "shares of "
            + shares.nodeId()
            + " for signing session "
            + shares.sessionId()
            + " are already recorded");
  }

  /**
   * The session as etcd holds it now: the shares of {@code signers} and the abort key, read in one
   * transaction of gets (with the reads of other sessions meanwhile: {@link CoalescedTxns}).
   */
  public SessionRecord read(UUID txId, UUID sessionId, List<String> signers) {
    return parse(signers, call(reads.read(List.of(gets(txId, sessionId, signers)))).answers());
  }

  /**
   * Ends the session: aborts it unless every one of {@code signers} has its shares recorded. Each
   * try is one transaction that writes the abort key only if the share key of a signer found
   * missing is still absent (etcd compares are a conjunction; one absent key is exactly "not all
   * present"), and reads the session back at the same revision. A share that lands meanwhile fails
   * the compare, and the try is repeated with what the failed transaction read; shares are only
   * ever added, so this ends within {@code signers.size() + 1} tries.
   *
   * @return the session afterwards: {@link SessionRecord#aborted()} or {@link
   *     SessionRecord#completeFor} {@code signers}, never both
   * @throws ProtocolException {@code ETCD_UNAVAILABLE}: nothing is decided, ask again later
   */
  public SessionRecord abortUnlessComplete(
      UUID txId, UUID sessionId, List<String> signers, String reason) {
    ByteSequence aborted = bytes(keys.signingAborted(txId, sessionId));
    SessionRecord now = read(txId, sessionId, signers);
    for (int attempt = 0; attempt <= signers.size() + 1; attempt++) {
      List<String> missing = now.missing(signers);
      if (now.aborted() || missing.isEmpty()) {
        return now;
      }
      ByteSequence absent = bytes(keys.signingShare(txId, sessionId, missing.get(0)));
      Op[] session = gets(txId, sessionId, signers);
      List<Op> abortThenRead = new ArrayList<>();
      abortThenRead.add(Op.put(aborted, bytes(reason), put()));
      abortThenRead.addAll(List.of(session));
      TxnResponse response =
          call(
              kv.txn()
                  .If(
                      new Cmp(absent, Cmp.Op.EQUAL, CmpTarget.createRevision(0)),
                      new Cmp(aborted, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                  .Then(abortThenRead.toArray(Op[]::new))
                  .Else(session)
                  .commit());
      now = parse(signers, response.getGetResponses());
    }
    throw new ProtocolException(
        ProtocolErrors.ETCD_UNAVAILABLE, "signing session " + sessionId + " keeps changing");
  }

  /** One get per signer's share key, then the abort key. */
  private Op[] gets(UUID txId, UUID sessionId, List<String> signers) {
    List<Op> gets = new ArrayList<>();
    for (String signer : signers) {
      gets.add(Op.get(bytes(keys.signingShare(txId, sessionId, signer)), GetOption.DEFAULT));
    }
    gets.add(Op.get(bytes(keys.signingAborted(txId, sessionId)), GetOption.DEFAULT));
    return gets.toArray(Op[]::new);
  }

  /** The answers of {@link #gets}, in its order (a put's answer is not among them). */
  private static SessionRecord parse(List<String> signers, List<GetResponse> answers) {
    Map<String, byte[]> shares = new HashMap<>();
    for (int i = 0; i < signers.size(); i++) {
      String signer = signers.get(i);
      answers.get(i).getKvs().stream()
          .findFirst()
          .ifPresent(kv -> shares.put(signer, kv.getValue().getBytes()));
    }
    Optional<String> aborted =
        answers.get(signers.size()).getKvs().stream()
            .findFirst()
            .map(kv -> kv.getValue().toString(StandardCharsets.UTF_8));
    return new SessionRecord(shares, aborted);
  }

  private <T> T call(CompletableFuture<T> future) {
    return EtcdCalls.await(future, callTimeout);
  }

  private static PutOption put() {
    return PutOption.DEFAULT;
  }

  private static ByteSequence bytes(String value) {
    return ByteSequence.from(value, StandardCharsets.UTF_8);
  }
}
