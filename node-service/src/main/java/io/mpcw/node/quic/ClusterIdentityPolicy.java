package io.mpcw.node.quic;

import io.mpcw.transport.IdentityPolicy;
import java.util.regex.Pattern;

/**
 * Admits the orchestrator and cluster nodes (by certificate CN; the CA has already vouched for the
 * certificate). Tools such as the registry's certificate are refused: they have no business asking
 * a node to vote.
 */
public final class ClusterIdentityPolicy {

  private ClusterIdentityPolicy() {}

  public static IdentityPolicy of(String orchestratorIdentity, String nodeIdentityPattern) {
    Pattern nodes = Pattern.compile(nodeIdentityPattern);
    return peer -> peer.name().equals(orchestratorIdentity) || nodes.matcher(peer.name()).matches();
  }
}
