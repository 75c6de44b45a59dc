package io.mpcw.protocol.lifecycle;

import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.frost.SigningNonces;
import io.mpcw.crypto.frost.SigningPackage;
import io.mpcw.protocol.TestPki;
import io.mpcw.protocol.dkg.DkgRun;
import io.mpcw.protocol.dkg.MutableClock;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshCommitRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart1Request;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart1Response;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Request;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Response;
import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteRequest;
import io.mpcw.protocol.share.MemoryShareStore;
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
 * A 3-of-5 wallet from a real DKG, and an honest coordinator relaying a refresh among in-process
 * participants, step by step so tests can tamper with what it relays.
 */
final class RefreshRun {
  static final List<String> NODES = List.of("node-1", "node-2", "node-3", "node-4", "node-5");

  final TestPki pki = TestPki.create(5);
  final DkgRun dkg = new DkgRun(pki, NODES, 3);
  final UUID walletId;
  final Map<String, MemoryShareStore> stores;
  final Map<String, RefreshParticipant> nodes = new LinkedHashMap<>();
  final Map<String, LifecyclePolicy> policies = new HashMap<>();
  final MutableClock clock = new MutableClock();
  UUID operationId = UUID.randomUUID();
  final Map<String, LifecycleVote> votes = new HashMap<>();
  final Map<String, RefreshPart1Response> part1 = new HashMap<>();
  final Map<String, RefreshPart2Response> part2 = new HashMap<>();

  RefreshRun() {
    dkg.runAll();
    walletId = dkg.walletId;
    stores = dkg.stores;
    for (String node : NODES) {
      nodes.put(
          node,
          new RefreshParticipant(
              node,
              pki.identity(node),
              pki::certificate,
              stores.get(node),
              (kind, wallet, subject) ->
                  policies
                      .getOrDefault(node, (k, w, s) -> Optional.empty())
                      .refusal(kind, wallet, subject),
              new SecureRandom(),
              clock,
              Duration.ofMinutes(5)));
    }
  }

  long epoch() {
    return stores.get("node-1").find(walletId).orElseThrow().epoch();
  }

  RefreshRun vote() {
    VoteRequest request =
        new VoteRequest(operationId, walletId, RefreshParticipant.REFRESH, epoch(), "");
    for (String node : NODES) {
      votes.put(node, nodes.get(node).vote(request).vote());
    }
    return this;
  }

  RefreshPart1Request part1Request(long epoch) {
    return new RefreshPart1Request(operationId, walletId, epoch, votes);
  }

  RefreshRun part1() {
    long epoch = epoch();
    for (String node : NODES) {
      part1.put(node, nodes.get(node).part1(part1Request(epoch)));
    }
    return this;
  }

  Map<String, String> commitments() {
    Map<String, String> c = new HashMap<>();
    part1.forEach((node, r) -> c.put(node, r.commitment()));
    return c;
  }

  Map<String, String> sealedFor(String recipient) {
    Map<String, String> s = new HashMap<>();
    part1.forEach(
        (dealer, r) -> {
          if (!dealer.equals(recipient)) {
            s.put(dealer, r.sealed().get(recipient));
          }
        });
    return s;
  }

  RefreshPart2Request part2Request(String recipient, long newEpoch) {
    return new RefreshPart2Request(
        operationId, walletId, newEpoch, commitments(), sealedFor(recipient));
  }

  RefreshRun part2() {
    long newEpoch = epoch() + 1;
    for (String node : NODES) {
      part2.put(node, nodes.get(node).part2(part2Request(node, newEpoch)));
    }
    return this;
  }

  RefreshCommitRequest commitRequest() {
    Map<String, String> acks = new HashMap<>();
    part2.forEach((node, r) -> acks.put(node, r.ack()));
    RefreshPart2Response any = part2.get("node-1");
    return new RefreshCommitRequest(
        operationId, walletId, any.epoch(), any.publicKeyPackage(), acks);
  }

  RefreshRun commit() {
    RefreshCommitRequest request = commitRequest();
    NODES.forEach(node -> nodes.get(node).commit(request));
    return this;
  }

  /** A fresh operation id and empty transcripts, as a new refresh of the same wallet. */
  RefreshRun next() {
    operationId = UUID.randomUUID();
    votes.clear();
    part1.clear();
    part2.clear();
    return this;
  }

  /** FROST signing of {@code message} with the current shares of {@code signers}. */
  byte[] sign(List<String> signers, byte[] message) {
    Frost frost = Frost.taproot();
    SecureRandom random = new SecureRandom();
    List<SigningNonces> nonces = new ArrayList<>();
    List<SigningCommitments> commitments = new ArrayList<>();
    List<KeyPackage> keys = new ArrayList<>();
    for (String node : signers) {
      KeyPackage key = stores.get(node).find(walletId).orElseThrow().keyPackage();
      SigningNonces n = frost.commit(key, random);
      keys.add(key);
      nonces.add(n);
      commitments.add(n.commitments());
    }
    SigningPackage pkg = new SigningPackage(message, commitments);
    List<SignatureShare> shares = new ArrayList<>();
    for (int i = 0; i < signers.size(); i++) {
      shares.add(frost.sign(pkg, nonces.get(i), keys.get(i)));
    }
    return frost.aggregate(pkg, shares, publicKeys());
  }

  PublicKeyPackage publicKeys() {
    return stores.get("node-1").find(walletId).orElseThrow().publicKeyPackage();
  }
}
