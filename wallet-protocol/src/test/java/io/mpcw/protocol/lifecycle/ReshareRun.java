package io.mpcw.protocol.lifecycle;

import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.frost.SigningNonces;
import io.mpcw.crypto.frost.SigningPackage;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.TestPki;
import io.mpcw.protocol.dkg.DkgRun;
import io.mpcw.protocol.dkg.MutableClock;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Response;
import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareCommitRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareDealRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareDealResponse;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareReceiveRequest;
import io.mpcw.protocol.share.MemoryShareStore;
import io.mpcw.protocol.share.WalletShare;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A 3-of-5 wallet on node-1..5 from a real DKG, two more nodes (node-6, node-7) with no share, and
 * an honest coordinator relaying a reshare step by step so tests can tamper with what it relays.
 */
final class ReshareRun {
  static final List<String> OLD = List.of("node-1", "node-2", "node-3", "node-4", "node-5");
  static final List<String> ALL =
      List.of("node-1", "node-2", "node-3", "node-4", "node-5", "node-6", "node-7");

  final TestPki pki = TestPki.create(7);
  final DkgRun dkg = new DkgRun(pki, OLD, 3);
  final UUID walletId;
  final Map<String, MemoryShareStore> stores;
  final Map<String, RefreshParticipant> voters = new LinkedHashMap<>();
  final Map<String, ReshareParticipant> nodes = new LinkedHashMap<>();
  final MutableClock clock = new MutableClock();
  final UUID operationId = UUID.randomUUID();
  final Map<String, LifecycleVote> votes = new HashMap<>();
  final Map<String, ReshareDealResponse> dealt = new HashMap<>();
  final Map<String, RefreshPart2Response> received = new HashMap<>();
  final int threshold;
  final List<String> participants;
  final List<String> dealers;
  final WalletShare before;

  ReshareRun(int threshold, List<String> participants, List<String> dealers) {
    this.threshold = threshold;
    this.participants = List.copyOf(participants);
    this.dealers = List.copyOf(dealers);
    dkg.runAll();
    walletId = dkg.walletId;
    stores = dkg.stores;
    for (String node : ALL) {
      voters.put(
          node,
          new RefreshParticipant(
              node,
              pki.identity(node),
              pki::certificate,
              stores.get(node),
              (kind, wallet, subject) -> Optional.empty(),
              new SecureRandom(),
              clock,
              Duration.ofMinutes(5)));
      nodes.put(
          node,
          new ReshareParticipant(
              node,
              pki.identity(node),
              pki::certificate,
              stores.get(node),
              new SecureRandom(),
              clock,
              Duration.ofMinutes(5)));
    }
    before = stores.get("node-1").find(walletId).orElseThrow();
  }

  String subject() {
    return new ReshareSubject(threshold, participants).encode();
  }

  ReshareRun vote() {
    VoteRequest request =
        new VoteRequest(operationId, walletId, RefreshParticipant.RESHARE, 0, subject());
    for (String node : OLD) {
      votes.put(node, voters.get(node).vote(request).vote());
    }
    return this;
  }

  ReshareDealRequest dealRequest() {
    return new ReshareDealRequest(
        operationId, walletId, 0, threshold, participants, dealers, votes);
  }

  ReshareRun deal() {
    for (String node : dealers) {
      dealt.put(node, nodes.get(node).deal(dealRequest()));
    }
    return this;
  }

  Map<String, String> commitments() {
    Map<String, String> c = new HashMap<>();
    dealt.forEach((node, r) -> c.put(node, r.commitment()));
    return c;
  }

  Map<String, String> sealedFor(String receiver) {
    Map<String, String> s = new HashMap<>();
    dealt.forEach(
        (dealer, r) -> {
          if (!dealer.equals(receiver)) {
            s.put(dealer, r.sealed().get(receiver));
          }
        });
    return s;
  }

  ReshareReceiveRequest receiveRequest(String receiver) {
    return receiveRequest(receiver, before.publicKeyPackage());
  }

  ReshareReceiveRequest receiveRequest(String receiver, PublicKeyPackage oldPublicKeys) {
    return new ReshareReceiveRequest(
        operationId,
        walletId,
        1,
        threshold,
        participants,
        dealers,
        OLD,
        Hex.encode(oldPublicKeys.encode()),
        Hex.encode(before.groupPublicKey()),
        commitments(),
        sealedFor(receiver),
        votes);
  }

  ReshareRun receive() {
    for (String node : participants) {
      received.put(node, nodes.get(node).receive(receiveRequest(node)));
    }
    return this;
  }

  ReshareCommitRequest commitRequest() {
    Map<String, String> acks = new HashMap<>();
    received.forEach((node, r) -> acks.put(node, r.ack()));
    return new ReshareCommitRequest(
        operationId,
        walletId,
        1,
        threshold,
        participants,
        received.get(participants.get(0)).publicKeyPackage(),
        acks,
        votes);
  }

  /** The commit at every node of the old and the new set. */
  ReshareRun commit() {
    ReshareCommitRequest request = commitRequest();
    for (String node : ALL) {
      if (OLD.contains(node) || participants.contains(node)) {
        nodes.get(node).commit(request);
      }
    }
    return this;
  }

  Optional<WalletShare> share(String node) {
    return stores.get(node).find(walletId);
  }

  /** FROST signing of {@code message} with the current shares of {@code signers}. */
  byte[] sign(List<String> signers, byte[] message) {
    Frost frost = Frost.taproot();
    SecureRandom random = new SecureRandom();
    List<SigningNonces> nonces = new ArrayList<>();
    List<SigningCommitments> commitments = new ArrayList<>();
    List<KeyPackage> keys = new ArrayList<>();
    PublicKeyPackage publicKeys = null;
    for (String node : signers) {
      WalletShare share = share(node).orElseThrow();
      publicKeys = share.publicKeyPackage();
      SigningNonces n = frost.commit(share.keyPackage(), random);
      keys.add(share.keyPackage());
      nonces.add(n);
      commitments.add(n.commitments());
    }
    SigningPackage pkg = new SigningPackage(message, commitments);
    List<SignatureShare> shares = new ArrayList<>();
    for (int i = 0; i < signers.size(); i++) {
      shares.add(frost.sign(pkg, nonces.get(i), keys.get(i)));
    }
    return frost.aggregate(pkg, shares, publicKeys);
  }
}
