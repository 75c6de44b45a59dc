package io.mpcw.orchestrator.signing;

import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.frost.SigningPackage;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.protocol.signing.PooledCommitment;
import io.mpcw.protocol.signing.Prevout;
import io.mpcw.protocol.signing.SignPooledShareRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A session's round 2 on pooled commitments: its signing packages, its record, its request. */
final class RoundTwo {
  private RoundTwo() {}

  /**
   * A new session of {@code signers} on the commitments taken for them, one signing package per
   * input (not recorded yet).
   */
  static RoastSession open(
      ClaimedTransaction claim,
      BuiltPayment payment,
      List<byte[]> messages,
      List<String> signers,
      Map<String, List<CommitmentPools.Pooled>> taken) {
    Map<String, List<String>> hex = new LinkedHashMap<>();
    Map<String, List<UUID>> ids = new LinkedHashMap<>();
    for (String node : signers) {
      hex.put(node, taken.get(node).stream().map(p -> p.wire().commitment()).toList());
      ids.put(node, taken.get(node).stream().map(p -> p.wire().id()).toList());
    }
    List<SigningPackage> packages = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      List<SigningCommitments> forInput = new ArrayList<>();
      for (String node : signers) {
        forInput.add(taken.get(node).get(i).decoded());
      }
      packages.add(new SigningPackage(messages.get(i), forInput));
    }
    SigningSession record =
        new SigningSession(
            UUID.randomUUID(),
            claim.tx().id(),
            signers,
            hex,
            ids,
            payment.unsigned().txid().toDisplayHex(),
            Instant.now());
    return new RoastSession(record, packages);
  }

  /** The wire form of what was taken from the pools. */
  static Map<String, List<PooledCommitment>> wire(Map<String, List<CommitmentPools.Pooled>> taken) {
    Map<String, List<PooledCommitment>> wire = new LinkedHashMap<>();
    taken.forEach(
        (node, list) -> wire.put(node, list.stream().map(CommitmentPools.Pooled::wire).toList()));
    return wire;
  }

  /** Round 2 of a session: the whole payment and every signer's commitments. */
  static SignPooledShareRequest request(
      ClaimedTransaction claim,
      Wallet wallet,
      BuiltPayment payment,
      SigningSession session,
      Map<String, List<PooledCommitment>> commitments) {
    List<Prevout> prevouts =
        payment.prevouts().stream()
            .map(p -> new Prevout(p.valueSats(), Hex.encode(p.scriptPubKey())))
            .toList();
    return new SignPooledShareRequest(
        session.sessionId(),
        claim.tx().id(),
        wallet.id(),
        claim.tx().recipient(),
        claim.tx().amountSats(),
        payment.unsigned().toHex(),
        prevouts,
        commitments,
        wallet.keyEpoch());
  }
}
