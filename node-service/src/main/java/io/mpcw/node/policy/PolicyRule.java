package io.mpcw.node.policy;

/** The rule that rejected a payment; approvals have none. */
public enum PolicyRule {
  AMOUNT_NOT_POSITIVE,
  INVALID_RECIPIENT,
  WRONG_NETWORK,
  DENY_LISTED,
  NOT_ALLOW_LISTED,
  MAX_AMOUNT,
  DAILY_LIMIT
}
