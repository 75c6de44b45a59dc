package io.mpcw.orchestrator.signing;

import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.signing.SignPooledShareResponse;
import io.mpcw.transport.TransportException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * What one signer's answer in a ROAST session says about it: each share verified on arrival against
 * the signer's verifying share, each failure recorded in the session and classified.
 */
final class SignerAnswers {
  /** What the run does with a signer whose request failed. */
  enum Next {
    /** Cheated or refused the payment: never asked again for this payment. */
    EXCLUDE,
    /** Could not sign now (busy, etcd slow): back once it gives fresh commitments. */
    REFILL,
    /** Restarted: its pooled commitments are void; back once it gives fresh ones. */
    DROP_POOL_AND_REFILL,
    /** Did not answer: stays out of the ready set. */
    STAY_OUT
  }

  private final Frost frost = Frost.taproot();
  private final Wallet wallet;
  private final PublicKeyPackage keys;
  private final int inputs;

  // per session and input, what every signer's share is checked against: computed at the first
  // share, not again for each (the run's thread is the only one that checks)
  private final Map<RoastSession, List<Frost.ShareCheck>> checks = new IdentityHashMap<>();

  SignerAnswers(Wallet wallet, int inputs) {
    this.wallet = wallet;
    this.keys = wallet.publicKeyPackage().orElseThrow();
    this.inputs = inputs;
  }

  private List<Frost.ShareCheck> checksOf(RoastSession session) {
    return session.packages.stream().map(p -> frost.shareCheck(p, keys)).toList();
  }

  /** Records the failure in the session and says what the run does with the signer. */
  Next failed(RoastSession session, String node, Throwable failure) {
    String why = SignerRequests.describe(failure);
    switch (SignerRequests.Failure.of(failure)) {
      case PAYMENT_REFUSAL -> {
        session.round.refused(node, why);
        session.outcomes.put(node, "refused: " + why);
        return Next.EXCLUDE;
      }
      case CHEATING -> {
        session.round.culprit(node, "refused a package of its own commitments: " + why);
        session.outcomes.put(node, "refused: " + why);
        return Next.EXCLUDE;
      }
      case BENIGN -> {
        session.round.unreachable(node, why);
        session.outcomes.put(node, "refused: " + why);
        return why.startsWith(ProtocolErrors.UNKNOWN_SESSION)
            ? Next.DROP_POOL_AND_REFILL
            : Next.REFILL;
      }
      default -> {
        Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
        if (cause instanceof IllegalArgumentException) {
          session.round.culprit(node, "malformed reply");
          session.outcomes.put(node, "invalid share");
          return Next.EXCLUDE;
        }
        String tag = cause instanceof TransportException te ? te.kind().tag() : why;
        session.round.unreachable(node, tag);
        session.outcomes.put(node, "no answer: " + tag);
        return Next.STAY_OUT;
      }
    }
  }

  /** Shares well-formed, under the node's identifier, and each valid for its input. */
  boolean validShares(RoastSession session, String node, SignPooledShareResponse reply) {
    Optional<List<SignatureShare>> shares =
        RecordedShares.decodeShares(
            wallet,
            session.record.sessionId(),
            node,
            reply.asShareResponse(),
            inputs,
            session.round);
    if (shares.isEmpty()) {
      return false;
    }
    for (int i = 0; i < inputs; i++) {
      try {
        checks.computeIfAbsent(session, this::checksOf).get(i).verify(shares.get().get(i));
      } catch (FrostException e) {
        session.round.culprit(node, "invalid signature share for input " + i);
        return false;
      }
    }
    return true;
  }
}
