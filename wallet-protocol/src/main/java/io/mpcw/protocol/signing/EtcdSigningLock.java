package io.mpcw.protocol.signing;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The payment → transaction binding in etcd, one lock key per node ({@link EtcdKeys#signingLock}),
 * each written only by its node. A node first reads its own and every other participant's lock in
 * one transaction of gets; if one names another txid it refuses. Otherwise it writes its own in one
 * transaction that requires every lock still as read: absent ones still absent (a value compare on
 * a missing key is false in etcd, so absence is compared as create revision 0) and present ones
 * still naming this txid. A lost compare means a lock appeared meanwhile: it reads again. A signer
 * in round 2 does the same in fewer round trips ({@link EtcdRoundTwo}): it reads the locks together
 * with the votes, and writes its lock in the transaction that records its shares, under exactly
 * these compares ({@link #unchanged}).
 *
 * <p>Why two different txids can never be locked among the participants: say node A's lock names X
 * and node B's names Y ≠ X, and A's was written first. B's write — this class's alone, or {@link
 * EtcdRoundTwo}'s together with B's share record — compared A's lock, at a revision where it
 * already named X, to "absent or Y": that compare fails, so B's write cannot have happened. Both
 * writers put a lock only under the compares of every participant's lock, so the argument holds
 * whichever of them each node uses. Honest nodes never delete or change their lock, so it holds for
 * any order.
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
  public void claim(UUID txId, String txid, String nodeId, Collection<String> participants) {
    List<String> nodes = lockOrder(nodeId, participants);
    ByteSequence own = bytes(keys.signingLock(txId, nodeId));
    ByteSequence value = bytes(txid);
    // each lost compare means one more lock appeared; there are at most nodes.size() of them
    for (int attempt = 0; attempt <= nodes.size(); attempt++) {
      List<Optional<String>> locks = read(txId, nodes);
      refuseConflict(txId, txid, nodes, locks);
      if (locks.get(0).isPresent()) {
        // this node recorded this very txid earlier, under the same compares
        return;
      }
      TxnResponse response =
          call(
              kv.txn()
                  .If(unchanged(keys, txId, txid, nodes, locks).toArray(Cmp[]::new))
                  .Then(Op.put(own, value, PutOption.DEFAULT))
                  .commit());
      if (response.isSucceeded()) {
        return;
      }
    }
    throw keepChanging(txId);
  }

  /** Every node's lock, in one transaction of gets (one revision). */
  private List<Optional<String>> read(UUID txId, List<String> nodes) {
    return values(call(kv.txn().Then(gets(keys, txId, nodes)).commit()).getGetResponses());
  }

  /** The nodes whose locks a claim reads and compares: {@code nodeId} first, then the others. */
  static List<String> lockOrder(String nodeId, Collection<String> participants) {
    TreeSet<String> others = new TreeSet<>(participants);
    others.remove(nodeId);
    List<String> nodes = new ArrayList<>();
    nodes.add(nodeId);
    nodes.addAll(others);
    return nodes;
  }

  /** One get per lock key of {@code nodes}, in their order. */
  static Op[] gets(EtcdKeys keys, UUID txId, List<String> nodes) {
    return nodes.stream()
        .map(n -> Op.get(bytes(keys.signingLock(txId, n)), GetOption.DEFAULT))
        .toArray(Op[]::new);
  }

  /** The txid each answer of {@link #gets} holds, if any, in the same order. */
  static List<Optional<String>> values(List<GetResponse> answers) {
    List<Optional<String>> locks = new ArrayList<>();
    for (GetResponse get : answers) {
      locks.add(
          get.getKvs().stream()
              .findFirst()
              .map(KeyValue::getValue)
              .map(v -> v.toString(StandardCharsets.UTF_8)));
    }
    return locks;
  }

  /**
   * The refusal when one of the {@code locks} as read (of {@code nodes}, this node first) names a
   * txid other than {@code txid}.
   *
   * @throws ProtocolException {@code CONFLICTING_TRANSACTION}
   */
  static void refuseConflict(
      UUID txId, String txid, List<String> nodes, List<Optional<String>> locks) {
    for (int i = 0; i < nodes.size(); i++) {
      Optional<String> bound = locks.get(i);
      if (bound.isPresent() && !bound.get().equals(txid)) {
        throw new ProtocolException(
            ProtocolErrors.CONFLICTING_TRANSACTION,
            "payment "
                + txId
                + " was already signed as transaction "
                + bound.get()
                + (i == 0 ? "" : " by " + nodes.get(i))
                + ", not "
                + txid);
      }
    }
  }

  /**
   * Every lock still as read: absent ones still absent (a value compare on a missing key is false
   * in etcd, so absence is compared as create revision 0), present ones still naming {@code txid}.
   */
  static List<Cmp> unchanged(
      EtcdKeys keys, UUID txId, String txid, List<String> nodes, List<Optional<String>> locks) {
    List<Cmp> unchanged = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      ByteSequence key = bytes(keys.signingLock(txId, nodes.get(i)));
      unchanged.add(
          locks.get(i).isPresent()
              ? new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(bytes(txid)))
              : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
    }
    return unchanged;
  }

  static ProtocolException keepChanging(UUID txId) {
    return new ProtocolException(
        ProtocolErrors.ETCD_UNAVAILABLE, "the signing locks of payment " + txId + " keep changing");
  }

  private <T> T call(CompletableFuture<T> future) {
    return EtcdCalls.await(future, callTimeout);
  }

  static ByteSequence bytes(String value) {
    return ByteSequence.from(value, StandardCharsets.UTF_8);
  }
}
