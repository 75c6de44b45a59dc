package io.mpcw.node.policy;

/**
 * What the policy needs to know beyond the request itself.
 *
 * @param walletSpentSats what this node approved for the request's wallet within the rolling 24 h,
 *     the request's own transaction excluded
 */
public record PolicyState(long walletSpentSats) {

  public static PolicyState empty() {
    return new PolicyState(0);
  }
}
