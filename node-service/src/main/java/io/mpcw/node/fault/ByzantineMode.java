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
  /** Never answers and records nothing: neither votes nor any signing round. */
  SILENT,
  /** Votes honestly but returns well-formed signature shares that do not verify. */
  BAD_SHARE,
  /**
   * Answers every signing request honestly, but only after {@code mpcw.node.slow-signer-delay}: an
   * overloaded or far-away signer. Votes and DKG are not delayed.
   */
  SLOW_SIGNER,
  /**
   * Answers round 1 (commitments) honestly and never answers round 2: the cheating signer that
   * makes a session wait for shares that never come.
   */
  WITHHOLD_SHARE;

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
