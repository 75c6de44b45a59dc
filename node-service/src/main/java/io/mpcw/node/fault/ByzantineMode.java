package io.mpcw.node.fault;

import io.mpcw.votes.Decision;
import java.util.Locale;

/**
 * Faults a node can be told to simulate ({@code mpcw.node.byzantine}), so tests and simulations can
 * check that the orchestrator's tally and share verification catch each kind of misbehaviour.
 */
public enum ByzantineMode {
  /** Honest. */
  NONE,
  /** Rejects every payment, whatever the policy says. */
  REJECT_ALL,
  /** Votes for the digest of a payload other than the one asked about. */
  WRONG_DIGEST,
  /** Records a vote whose signature does not verify against its certificate. */
  BAD_SIGNATURE,
  /** Records one decision in etcd but answers with a validly signed opposite vote. */
  EQUIVOCATE,
  /** Never answers and records nothing. */
  SILENT,
  /** Votes honestly but returns well-formed signature shares that do not verify. */
  BAD_SHARE;

  public boolean honest() {
    return this == NONE;
  }

  /** The decision this mode records, given the one the policy made. */
  public Decision recorded(Decision policyDecision) {
    return this == REJECT_ALL ? Decision.REJECT : policyDecision;
  }

  /** The configuration spelling, e.g. {@code reject-all}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
