package io.mpcw.node.policy;

import io.mpcw.votes.Decision;
import java.util.Optional;

/**
 * The policy's verdict on one payment.
 *
 * @param brokenRule the rule that rejected it; empty when approved
 * @param reason words for the vote record, naming the limit that was hit
 */
public record PolicyDecision(Decision decision, Optional<PolicyRule> brokenRule, String reason) {

  public static PolicyDecision approve() {
    return new PolicyDecision(Decision.APPROVE, Optional.empty(), "within policy");
  }

  public static PolicyDecision reject(PolicyRule rule, String reason) {
    return new PolicyDecision(Decision.REJECT, Optional.of(rule), reason);
  }

  public boolean approved() {
    return decision == Decision.APPROVE;
  }
}
