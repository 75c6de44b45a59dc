package io.mpcw.protocol.lifecycle;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Counts the valid approvals of one lifecycle operation among signed votes: a vote counts only when
 * it is a participant's, signed under its certificate, an approval, and for this very operation,
 * wallet, kind, epoch and subject. A node checks this itself before it deals or erases anything.
 */
final class LifecycleApprovals {
  private LifecycleApprovals() {}

  static int count(
      Map<String, LifecycleVote> votes,
      Collection<String> participants,
      Function<String, Optional<X509Certificate>> certificates,
      UUID operationId,
      UUID walletId,
      String kind,
      long epoch,
      String subject) {
    int valid = 0;
    for (Map.Entry<String, LifecycleVote> e : votes.entrySet()) {
      String node = e.getKey();
      LifecycleVote vote = e.getValue();
      if (!participants.contains(node)) {
        continue;
      }
      Optional<X509Certificate> certificate = certificates.apply(node);
      if (certificate.isPresent()
          && vote.writtenBy(node, certificate.get())
          && vote.approves()
          && vote.operationId().equals(operationId)
          && vote.walletId().equals(walletId)
          && vote.kind().equals(kind)
          && vote.epoch() == epoch
          && vote.subject().equals(subject)) {
        valid++;
      }
    }
    return valid;
  }

  /**
   * Refuses unless {@code valid} approvals reach {@code threshold}; {@code what} names the
   * operation in the refusal.
   */
  static void requireThreshold(int valid, int threshold, String what) {
    if (valid < threshold) {
      throw new ProtocolException(
          ProtocolErrors.LIFECYCLE_NOT_APPROVED,
          valid + " valid approvals of " + what + ", " + threshold + " required");
    }
  }
}
