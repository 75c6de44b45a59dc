package io.mpcw.node.quic;

import io.mpcw.transport.IdentityPolicy;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Admits the orchestrator and the nodes the registry lists (by certificate CN; the CA has already
 * vouched for the certificate). Tools such as the registry's certificate are refused: they have no
 * business asking a node to vote.
 */
public final class ClusterIdentityPolicy {

  private ClusterIdentityPolicy() {}

  /**
   * @param registeredNodes the node ids the registry lists now; a node certificate of an id the
   *     registry does not know is refused
   */
  public static IdentityPolicy of(
      String orchestratorIdentity,
      String nodeIdentityPattern,
      Supplier<Set<String>> registeredNodes) {
    Pattern nodes = Pattern.compile(nodeIdentityPattern);
    return peer ->
        peer.name().equals(orchestratorIdentity)
            || (nodes.matcher(peer.name()).matches()
                && registeredNodes.get().contains(peer.name()));
  }
}
