package io.mpcw.protocol.lifecycle;

import io.mpcw.crypto.frost.Identifier;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * What every step of a reshare checks the same way: the subject (new threshold and set) parses, the
 * current participants approved this very subject, and the dealers are exactly t of them.
 */
final class ReshareChecks {
  private ReshareChecks() {}

  static ReshareSubject subject(int threshold, List<String> participants) {
    try {
      return new ReshareSubject(threshold, participants);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ProtocolErrors.MALFORMED_REQUEST, e.getMessage());
    }
  }

  static void requireApproved(
      Function<String, Optional<X509Certificate>> certificates,
      Map<String, LifecycleVote> votes,
      List<String> participants,
      int threshold,
      UUID operationId,
      UUID walletId,
      long epoch,
      ReshareSubject subject) {
    int valid =
        LifecycleApprovals.count(
            votes,
            participants,
            certificates,
            operationId,
            walletId,
            RefreshParticipant.RESHARE,
            epoch,
            subject.encode());
    LifecycleApprovals.requireThreshold(
        valid, threshold, "reshare " + operationId + " to " + subject.encode());
  }

  /** Exactly t distinct dealers, all current participants. */
  static void requireQuorum(List<String> dealers, List<String> participants, int t) {
    if (new HashSet<>(dealers).size() != dealers.size()
        || dealers.size() != t
        || !participants.containsAll(dealers)) {
      throw LifecycleRefusals.malformed(
          "the dealers must be "
              + t
              + " distinct participants of "
              + participants
              + ", got "
              + dealers);
    }
  }

  /** A node's identifier in a set is its place in it, from 1. */
  static Identifier identifierIn(List<String> participants, String node) {
    return Identifier.of(participants.indexOf(node) + 1);
  }

  /** The identifiers 1..n of the new set. */
  static List<Identifier> receivers(ReshareSubject subject) {
    List<Identifier> receivers = new ArrayList<>();
    for (int i = 1; i <= subject.participants().size(); i++) {
      receivers.add(Identifier.of(i));
    }
    return receivers;
  }
}
