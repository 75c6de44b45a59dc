package io.mpcw.node.policy;

import io.mpcw.crypto.address.AddressFormatException;
import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.votes.VoteRequest;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A node's vote policy: a pure function of (request, state) to a decision and its reason. Rules are
 * checked from the cheapest and least arguable (a malformed address) to the stateful one, so a
 * rejection names the first rule broken.
 */
public final class VotePolicy {

  private final long maxAmountSats;
  private final long dailyLimitSats;
  private final Network network;
  private final Set<SegwitAddress> allowList;
  private final Set<SegwitAddress> denyList;

  /**
   * @throws IllegalArgumentException when the network is unknown or a listed address is not an
   *     address of that network, so a typo in the lists stops the node instead of being ignored
   */
  public VotePolicy(PolicyProperties properties) {
    this.maxAmountSats = properties.maxAmountSats();
    this.dailyLimitSats = properties.dailyLimitSats();
    this.network = Network.parse(properties.network());
    this.allowList = addresses(properties.allowList(), "allow-list");
    this.denyList = addresses(properties.denyList(), "deny-list");
  }

  public boolean tracksDailySpend() {
    return dailyLimitSats > 0;
  }

  public PolicyDecision evaluate(VoteRequest request, PolicyState state) {
    long amount = request.amountSats();
    if (amount <= 0) {
      return PolicyDecision.reject(
          PolicyRule.AMOUNT_NOT_POSITIVE, "amount " + amount + " sats is not positive");
    }
    SegwitAddress recipient;
    try {
      recipient = SegwitAddress.decode(request.recipient(), network);
    } catch (AddressFormatException e) {
      if (e.reason() == AddressFormatException.Reason.WRONG_NETWORK) {
        return PolicyDecision.reject(
            PolicyRule.WRONG_NETWORK, "recipient is not a " + network.id() + " address");
      }
      return PolicyDecision.reject(
          PolicyRule.INVALID_RECIPIENT, "recipient is not a valid address: " + e.getMessage());
    }
    if (denyList.contains(recipient)) {
      return PolicyDecision.reject(PolicyRule.DENY_LISTED, "recipient is on the deny-list");
    }
    if (!allowList.isEmpty() && !allowList.contains(recipient)) {
      return PolicyDecision.reject(
          PolicyRule.NOT_ALLOW_LISTED, "recipient is not on the allow-list");
    }
    if (amount > maxAmountSats) {
      return PolicyDecision.reject(
          PolicyRule.MAX_AMOUNT,
          "amount "
              + amount
              + " sats exceeds the per-transaction limit of "
              + maxAmountSats
              + " sats");
    }
    if (tracksDailySpend() && amount > dailyLimitSats - state.walletSpentSats()) {
      return PolicyDecision.reject(
          PolicyRule.DAILY_LIMIT,
          "amount "
              + amount
              + " sats on top of "
              + state.walletSpentSats()
              + " sats approved in the last 24 h exceeds the wallet's daily limit of "
              + dailyLimitSats
              + " sats");
    }
    return PolicyDecision.approve();
  }

  private Set<SegwitAddress> addresses(List<String> configured, String list) {
    return configured.stream()
        .map(
            address -> {
              try {
                return SegwitAddress.decode(address.strip(), network);
              } catch (AddressFormatException e) {
                throw new IllegalArgumentException(
                    "mpcw.node.policy." + list + " holds " + address + ": " + e.getMessage(), e);
              }
            })
        .collect(Collectors.toUnmodifiableSet());
  }
}
