package io.mpcw.orchestrator.signing;

import io.mpcw.crypto.frost.CulpritException;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.frost.SigningPackage;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.payment.Payments;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.registry.ClusterNode;
import io.mpcw.orchestrator.registry.RegistryClient;
import io.mpcw.orchestrator.registry.RegistryUnavailableException;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.signing.Prevout;
import io.mpcw.protocol.signing.SignCommitRequest;
import io.mpcw.protocol.signing.SignCommitResponse;
import io.mpcw.protocol.signing.SignShareRequest;
import io.mpcw.protocol.signing.SignShareResponse;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code signing → signed}: one FROST attempt per call, among t signers chosen by score, with fresh
 * nonces (a new session) every attempt. Every share is verified before aggregation (an invalid one
 * names its signer), and every aggregate signature is verified as BIP-340 under the wallet's output
 * key before the witness is written. A signer that fails, times out, refuses or cheats is left out
 * of the next attempt. The orchestrator never holds a key share or a nonce.
 */
@Component
class SigningStage implements StageHandler {
  private static final Logger log = LoggerFactory.getLogger(SigningStage.class);
  private static final Set<String> PAYMENT_REFUSALS =
      Set.of(
          ProtocolErrors.NOT_APPROVED,
          ProtocolErrors.PAYMENT_MISMATCH,
          ProtocolErrors.FEE_TOO_HIGH,
          ProtocolErrors.CONFLICTING_TRANSACTION);

  private final Frost frost = Frost.taproot();
  private final Wallets wallets;
  private final Payments payments;
  private final SigningAttempts attempts;
  private final SeenCommitments seen;
  private final RegistryClient registry;
  private final NodeDirectory directory;
  private final TransportClient transport;
  private final NodeLatencies latencies;
  private final SigningProperties properties;
  private final SigningMetrics metrics;

  SigningStage(
      Wallets wallets,
      Payments payments,
      SigningAttempts attempts,
      SeenCommitments seen,
      RegistryClient registry,
      NodeDirectory directory,
      TransportClient transport,
      NodeLatencies latencies,
      SigningProperties properties,
      SigningMetrics metrics) {
    this.wallets = wallets;
    this.payments = payments;
    this.attempts = attempts;
    this.seen = seen;
    this.registry = registry;
    this.directory = directory;
    this.transport = transport;
    this.latencies = latencies;
    this.properties = properties;
    this.metrics = metrics;
  }

  @Override
  public TransactionState stage() {
    return TransactionState.SIGNING;
  }

  @Override
  public StageOutcome handle(ClaimedTransaction claim) {
    io.mpcw.orchestrator.transaction.Transaction tx = claim.tx();
    Wallet wallet = wallets.find(tx.walletId()).orElseThrow();
    BuiltPayment payment =
        payments
            .find(tx.id())
            .orElseThrow(() -> new IllegalStateException("signing without a built transaction"));
    List<SigningAttempt> earlier = attempts.of(tx.id());

    List<ClusterNode> active;
    try {
      active = registry.activeNodes();
    } catch (RegistryUnavailableException e) {
      return new StageOutcome.Retry(Duration.ofSeconds(1), "registry: " + e.getMessage());
    }
    Map<String, NodeDirectory.KnownNode> known = directory.nodes();
    Map<String, Double> latency = latencies.snapshot();
    List<SignerSelection.Candidate> candidates =
        active.stream()
            .filter(n -> wallet.participants().contains(n.nodeId()))
            .filter(n -> known.containsKey(n.nodeId()))
            .filter(n -> known.get(n.nodeId()).endpoint().isPresent())
            .map(n -> SignerSelection.candidate(n.nodeId(), n.cpuLoad(), latency))
            .toList();

    Set<String> cheaters = new HashSet<>();
    Set<String> refusers = new HashSet<>();
    Set<String> silent = new HashSet<>();
    Map<String, String> refusalReasons = new LinkedHashMap<>();
    for (SigningAttempt a : earlier) {
      Set<String> into =
          switch (a.outcome()) {
            case SigningAttempt.CULPRIT -> cheaters;
            case SigningAttempt.REFUSED -> refusers;
            default -> silent;
          };
      into.addAll(a.culprits());
      if (SigningAttempt.REFUSED.equals(a.outcome())) {
        a.culprits().forEach(n -> refusalReasons.put(n, a.detail().orElse("refused")));
      }
    }
    int t = wallet.threshold();
    Set<String> excluded = new HashSet<>(cheaters);
    excluded.addAll(refusers);
    excluded.addAll(silent);
    List<SignerSelection.Candidate> chosen = SignerSelection.choose(candidates, excluded, t);
    if (chosen.size() < t) {
      // nodes that merely did not answer may be back: give them another chance before waiting
      excluded.removeAll(silent);
      chosen = SignerSelection.choose(candidates, excluded, t);
    }
    if (chosen.size() < t) {
      long honestParticipants =
          wallet.participants().stream()
              .filter(n -> !cheaters.contains(n) && !refusers.contains(n))
              .count();
      if (honestParticipants < t && !refusers.isEmpty()) {
        return new StageOutcome.Advance(
            TransactionState.FAILED,
            "signers refused: " + String.join("; ", refusalReasons.values()));
      }
      return new StageOutcome.Retry(
          Duration.ofSeconds(1),
          chosen.size() + " of " + t + " signers available (excluded: " + excluded + ")");
    }
    List<String> signers = chosen.stream().map(SignerSelection.Candidate::nodeId).sorted().toList();
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    signers.forEach(n -> endpoints.put(n, known.get(n).endpoint().get()));
    return attempt(claim, wallet, payment, endpoints);
  }

  private StageOutcome attempt(
      ClaimedTransaction claim,
      Wallet wallet,
      BuiltPayment payment,
      Map<String, Endpoint> endpoints) {
    io.mpcw.orchestrator.transaction.Transaction tx = claim.tx();
    UUID session = UUID.randomUUID();
    Instant started = Instant.now();
    List<String> signers = List.copyOf(endpoints.keySet());
    SigningRound round = new SigningRound();
    Transaction unsigned = payment.unsigned();
    int inputs = unsigned.inputs().size();

    // round 1: fresh commitments from every signer
    byte[] commitRequest =
        ProtocolMessages.encode(new SignCommitRequest(session, tx.id(), wallet.id(), inputs));
    Map<String, List<SigningCommitments>> commitments =
        ask(
            endpoints,
            SignCommitRequest.TYPE,
            commitRequest,
            SignCommitResponse.class,
            round,
            (node, reply) -> checkCommitments(wallet, session, node, reply, inputs, round));
    if (!round.clean()) {
      return failed(claim, session, signers, started, round);
    }

    // round 2: the whole transaction, what it spends, the approved payment, every commitment
    Map<String, List<String>> wireCommitments = new LinkedHashMap<>();
    commitments.forEach(
        (node, list) ->
            wireCommitments.put(node, list.stream().map(c -> Hex.encode(c.encode())).toList()));
    List<Prevout> prevouts =
        payment.prevouts().stream()
            .map(p -> new Prevout(p.valueSats(), Hex.encode(p.scriptPubKey())))
            .toList();
    byte[] shareRequest =
        ProtocolMessages.encode(
            new SignShareRequest(
                session,
                tx.id(),
                wallet.id(),
                tx.recipient(),
                tx.amountSats(),
                unsigned.toHex(),
                prevouts,
                wireCommitments));
    Map<String, List<SignatureShare>> shares =
        ask(
            endpoints,
            SignShareRequest.TYPE,
            shareRequest,
            SignShareResponse.class,
            round,
            (node, reply) -> decodeShares(wallet, session, node, reply, inputs, round));
    if (!round.clean()) {
      return failed(claim, session, signers, started, round);
    }

    // verify every share, aggregate, verify every signature
    PublicKeyPackage keys = wallet.publicKeyPackage().orElseThrow();
    byte[] outputKey = wallet.outputKey().orElseThrow();
    TaprootSighash sighash = new TaprootSighash(unsigned, payment.prevouts());
    List<byte[]> signatures = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      byte[] message = sighash.sigHash(i, SighashType.DEFAULT);
      List<SigningCommitments> forInput = new ArrayList<>();
      List<SignatureShare> sharesForInput = new ArrayList<>();
      for (String node : signers) {
        forInput.add(commitments.get(node).get(i));
        sharesForInput.add(shares.get(node).get(i));
      }
      SigningPackage pkg = new SigningPackage(message, forInput);
      for (int s = 0; s < signers.size(); s++) {
        try {
          frost.verifyShare(sharesForInput.get(s), pkg, keys);
        } catch (CulpritException e) {
          round.culprit(signers.get(s), "invalid signature share for input " + i);
        }
      }
      if (!round.clean()) {
        return failed(claim, session, signers, started, round);
      }
      byte[] signature;
      try {
        signature = frost.aggregate(pkg, sharesForInput, keys);
      } catch (FrostException e) {
        log.error("aggregation failed for {} although every share verified", tx.id(), e);
        return new StageOutcome.Retry(properties.retryDelay(), "aggregation failed");
      }
      if (!Bip340.verify(message, outputKey, signature)) {
        log.error("aggregate signature of {} input {} does not verify; not using it", tx.id(), i);
        return new StageOutcome.Retry(properties.retryDelay(), "signature did not verify");
      }
      signatures.add(signature);
    }
    Transaction signed = unsigned.withKeyPathSignatures(signatures);
    Instant finished = Instant.now();
    metrics.attempt(SigningAttempt.OK);
    metrics.signed(claim.timeInState().plus(Duration.between(started, finished)));
    SigningAttempt ok =
        new SigningAttempt(
            0, session, signers, started, finished, SigningAttempt.OK, List.of(), Optional.empty());
    return new StageOutcome.Advance(
        TransactionState.SIGNED,
        "signed by " + String.join(", ", signers) + " (" + inputs + " input(s))",
        () -> {
          attempts.record(tx.id(), ok);
          payments.signed(tx.id(), signed, signers);
        });
  }

  private Optional<List<SigningCommitments>> checkCommitments(
      Wallet wallet,
      UUID session,
      String node,
      SignCommitResponse reply,
      int inputs,
      SigningRound round) {
    int identifier = wallet.identifierOf(node);
    if (!reply.sessionId().equals(session)
        || !reply.nodeId().equals(node)
        || reply.identifier() != identifier
        || reply.commitments().size() != inputs) {
      round.culprit(node, "round-1 reply does not match the request");
      return Optional.empty();
    }
    List<SigningCommitments> out = new ArrayList<>();
    for (String hex : reply.commitments()) {
      SigningCommitments c;
      try {
        c = SigningCommitments.decode(Hex.decode(hex));
      } catch (RuntimeException e) {
        round.culprit(node, "unreadable commitment");
        return Optional.empty();
      }
      if (!c.identifier().equals(Identifier.of(identifier))) {
        round.culprit(node, "commitment for another identifier");
        return Optional.empty();
      }
      if (!seen.firstSight(wallet.id(), c.encode(), node, session)) {
        round.culprit(node, "sent a nonce commitment seen before (nonce reuse)");
        return Optional.empty();
      }
      out.add(c);
    }
    return Optional.of(out);
  }

  private Optional<List<SignatureShare>> decodeShares(
      Wallet wallet,
      UUID session,
      String node,
      SignShareResponse reply,
      int inputs,
      SigningRound round) {
    if (!reply.sessionId().equals(session)
        || !reply.nodeId().equals(node)
        || reply.shares().size() != inputs) {
      round.culprit(node, "round-2 reply does not match the request");
      return Optional.empty();
    }
    List<SignatureShare> out = new ArrayList<>();
    for (String hex : reply.shares()) {
      try {
        SignatureShare share = SignatureShare.decode(Hex.decode(hex));
        if (!share.identifier().equals(Identifier.of(wallet.identifierOf(node)))) {
          round.culprit(node, "share for another identifier");
          return Optional.empty();
        }
        out.add(share);
      } catch (RuntimeException e) {
        round.culprit(node, "unreadable signature share");
        return Optional.empty();
      }
    }
    return Optional.of(out);
  }

  /** Sends one request to every signer in parallel; fills the round with what went wrong. */
  private <R, T> Map<String, T> ask(
      Map<String, Endpoint> endpoints,
      String type,
      byte[] payload,
      Class<R> replyType,
      SigningRound round,
      Checker<R, T> check) {
    Map<String, T> results = new LinkedHashMap<>();
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    endpoints.forEach(
        (node, endpoint) -> {
          long sent = System.nanoTime();
          calls.add(
              transport
                  .request(endpoint, type, payload, properties.requestDeadline())
                  .handle(
                      (reply, failure) -> {
                        if (failure != null) {
                          classify(node, failure, round);
                          return null;
                        }
                        latencies.observe(node, System.nanoTime() - sent);
                        R decoded;
                        try {
                          decoded =
                              ProtocolMessages.decode(reply.getPayload().toByteArray(), replyType);
                        } catch (IllegalArgumentException e) {
                          round.culprit(node, "malformed reply");
                          return null;
                        }
                        check.check(node, decoded).ifPresent(v -> put(results, node, v));
                        return null;
                      }));
        });
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    return results;
  }

  private static <T> void put(Map<String, T> results, String node, T value) {
    synchronized (results) {
      results.put(node, value);
    }
  }

  private static void classify(String node, Throwable failure, SigningRound round) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof TransportException te && te.remoteCode().isPresent()) {
      String code = te.remoteCode().get();
      if (PAYMENT_REFUSALS.contains(code)) {
        round.refused(node, code + " " + te.getMessage());
      } else {
        // unknown or used session (node restarted), busy, etcd slow: another set can sign
        round.unreachable(node, code);
      }
      return;
    }
    round.unreachable(node, cause.getClass().getSimpleName());
  }

  private StageOutcome failed(
      ClaimedTransaction claim,
      UUID session,
      List<String> signers,
      Instant started,
      SigningRound round) {
    String outcome = round.outcome();
    attempts.record(
        claim.tx().id(),
        new SigningAttempt(
            0,
            session,
            signers,
            started,
            Instant.now(),
            outcome,
            round.faulty(),
            Optional.of(round.detail())));
    metrics.attempt(outcome);
    metrics.culprits(round.culprits.size());
    log.info("signing attempt for {} failed: {}", claim.tx().id(), round.detail());
    return new StageOutcome.Retry(properties.retryDelay(), outcome + ": " + round.detail());
  }

  @FunctionalInterface
  private interface Checker<R, T> {
    Optional<T> check(String node, R reply);
  }
}
