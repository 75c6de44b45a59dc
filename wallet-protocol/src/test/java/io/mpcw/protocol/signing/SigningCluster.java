package io.mpcw.protocol.signing;

import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.frost.SigningPackage;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.TestPki;
import io.mpcw.protocol.dkg.DkgRun;
import io.mpcw.protocol.share.ShareStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A 3-of-5 wallet made by a real DKG, and a coordinator driving its signers. */
final class SigningCluster {
  static final List<String> NODES = List.of("node-1", "node-2", "node-3", "node-4", "node-5");

  final TestPki pki;
  final UUID walletId;
  final PublicKeyPackage keys;
  final byte[] outputKey;
  final byte[] walletScript;
  final Map<String, ShareStore> stores = new HashMap<>();

  SigningCluster() {
    pki = TestPki.create(5);
    DkgRun run = new DkgRun(pki, NODES, 3);
    run.runAll();
    walletId = run.walletId;
    NODES.forEach(n -> stores.put(n, run.stores.get(n)));
    keys = stores.get("node-1").find(walletId).orElseThrow().publicKeyPackage();
    outputKey = keys.verifyingKey().encodeXOnly();
    walletScript = Txs.p2tr(outputKey);
  }

  /** Each node's own signing record, kept across {@link #participants} calls as on disk. */
  final Map<String, SigningRecord> signed = new java.util.concurrent.ConcurrentHashMap<>();

  Map<String, SigningParticipant> participants(
      ApprovalCheck approvals,
      SigningLock lock,
      java.util.function.Function<String, ShareRecorder> recorders,
      SpendLimits limits,
      Clock clock) {
    return participants(
        approvals, lock, recorders, limits, clock, SigningParticipant.DEFAULT_POOLED_PER_WALLET);
  }

  /** Signers keeping at most {@code pooledPerWallet} pre-shared commitments per wallet. */
  Map<String, SigningParticipant> participants(
      ApprovalCheck approvals,
      SigningLock lock,
      java.util.function.Function<String, ShareRecorder> recorders,
      SpendLimits limits,
      Clock clock,
      int pooledPerWallet) {
    Map<String, SigningParticipant> out = new LinkedHashMap<>();
    for (String node : NODES) {
      out.put(
          node,
          new SigningParticipant(
              node,
              stores.get(node),
              approvals,
              lock,
              signed.computeIfAbsent(node, n -> new MemorySigningRecord()),
              recorders.apply(node),
              limits,
              Network.REGTEST,
              new SecureRandom(),
              clock,
              Duration.ofMinutes(5),
              Duration.ofMinutes(10),
              pooledPerWallet));
    }
    return out;
  }

  /** Signers whose round 2 reads and writes {@code records.apply(node)}. */
  Map<String, SigningParticipant> participants(
      java.util.function.Function<String, RoundTwoRecords> records,
      SpendLimits limits,
      Clock clock) {
    Map<String, SigningParticipant> out = new LinkedHashMap<>();
    for (String node : NODES) {
      out.put(
          node,
          new SigningParticipant(
              node,
              stores.get(node),
              records.apply(node),
              signed.computeIfAbsent(node, n -> new MemorySigningRecord()),
              limits,
              Network.REGTEST,
              new SecureRandom(),
              clock,
              Duration.ofMinutes(5),
              Duration.ofMinutes(10),
              SigningParticipant.DEFAULT_POOLED_PER_WALLET));
    }
    return out;
  }

  static String randomRecipient() {
    byte[] key = Point.multiplyGenerator(Scalar.random(new SecureRandom())).encodeXOnly();
    return SegwitAddress.forTaprootOutputKey(Network.REGTEST, key).toString();
  }

  static byte[] scriptOf(String address) {
    return SegwitAddress.decode(address, Network.REGTEST).scriptPubKey();
  }

  /** A payment spending {@code inputs} wallet outputs of 60 000 sats each, with change. */
  Payment payment(int inputs, String recipient, long amount, long fee) {
    List<TxOut> prevouts = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      prevouts.add(new TxOut(60_000, walletScript));
    }
    long change = 60_000L * inputs - amount - fee;
    List<TxOut> outputs = new ArrayList<>(List.of(new TxOut(amount, scriptOf(recipient))));
    if (change > 0) {
      outputs.add(new TxOut(change, walletScript));
    }
    return new Payment(UUID.randomUUID(), recipient, amount, Txs.tx(2, inputs, outputs), prevouts);
  }

  record Payment(
      UUID txId, String recipient, long amountSats, Transaction tx, List<TxOut> prevouts) {
    List<Prevout> wirePrevouts() {
      return prevouts.stream()
          .map(p -> new Prevout(p.valueSats(), Hex.encode(p.scriptPubKey())))
          .toList();
    }

    Payment withTx(Transaction other, List<TxOut> otherPrevouts) {
      return new Payment(txId, recipient, amountSats, other, otherPrevouts);
    }
  }

  /** Round 1 on every signer; returns the request each would get in round 2. */
  SignShareRequest roundOne(
      Map<String, SigningParticipant> signers, List<String> chosen, Payment p) {
    return roundOne(signers, chosen, p, 0);
  }

  /** Round 1 in key epoch {@code epoch}. */
  SignShareRequest roundOne(
      Map<String, SigningParticipant> signers, List<String> chosen, Payment p, long epoch) {
    UUID session = UUID.randomUUID();
    Map<String, List<String>> commitments = new HashMap<>();
    for (String node : chosen) {
      commitments.put(
          node,
          signers
              .get(node)
              .commit(
                  new SignCommitRequest(session, p.txId(), walletId, p.tx().inputs().size(), epoch))
              .commitments());
    }
    return shareRequest(session, p, commitments, epoch);
  }

  /** Round 2 with pre-shared commitments, {@code commitments} by signer, one per input. */
  SignPooledShareRequest pooledRequest(
      UUID session, Payment p, Map<String, List<PooledCommitment>> commitments) {
    return new SignPooledShareRequest(
        session,
        p.txId(),
        walletId,
        p.recipient(),
        p.amountSats(),
        p.tx().toHex(),
        p.wirePrevouts(),
        commitments,
        0);
  }

  SignShareRequest shareRequest(UUID session, Payment p, Map<String, List<String>> commitments) {
    return shareRequest(session, p, commitments, 0);
  }

  SignShareRequest shareRequest(
      UUID session, Payment p, Map<String, List<String>> commitments, long epoch) {
    return new SignShareRequest(
        session,
        p.txId(),
        walletId,
        p.recipient(),
        p.amountSats(),
        p.tx().toHex(),
        p.wirePrevouts(),
        commitments,
        epoch);
  }

  /** The signing package of one input, as the coordinator builds it. */
  SigningPackage signingPackage(SignShareRequest request, Payment p, int input) {
    byte[] message = new TaprootSighash(p.tx(), p.prevouts()).sigHash(input, SighashType.DEFAULT);
    List<SigningCommitments> commitments = new ArrayList<>();
    request
        .commitments()
        .values()
        .forEach(list -> commitments.add(SigningCommitments.decode(Hex.decode(list.get(input)))));
    return new SigningPackage(message, commitments);
  }

  /** Aggregates the shares into one BIP-340 signature per input. */
  List<byte[]> aggregate(SignShareRequest request, Payment p, List<SignShareResponse> responses) {
    List<byte[]> signatures = new ArrayList<>();
    for (int i = 0; i < p.tx().inputs().size(); i++) {
      List<SignatureShare> shares = new ArrayList<>();
      for (SignShareResponse r : responses) {
        shares.add(SignatureShare.decode(Hex.decode(r.shares().get(i))));
      }
      signatures.add(Frost.taproot().aggregate(signingPackage(request, p, i), shares, keys));
    }
    return signatures;
  }
}
