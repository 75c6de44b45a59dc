package io.mpcw.orchestrator.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The voting cluster's shape.
 *
 * @param threshold approvals needed (t)
 * @param totalNodes nodes in the cluster (n); Byzantine tolerance f = floor((n - 1) / 3)
 * @param network Bitcoin network whose addresses are accepted: mainnet, testnet, signet, regtest
 */
@ConfigurationProperties("mpcw.cluster")
public record ClusterProperties(
    @DefaultValue("4") int threshold,
    @DefaultValue("5") int totalNodes,
    @DefaultValue("regtest") String network) {

  public ClusterProperties {
    if (threshold < 1 || threshold > totalNodes) {
      throw new IllegalArgumentException(
          "mpcw.cluster.threshold must be between 1 and total-nodes (" + totalNodes + ")");
    }
  }

  public int byzantineTolerance() {
    return (totalNodes - 1) / 3;
  }
}
