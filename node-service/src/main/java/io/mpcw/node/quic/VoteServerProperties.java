package io.mpcw.node.quic;

import io.mpcw.types.cluster.NodeIdentities;
import jakarta.validation.constraints.Min;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call this node's QUIC server and how much voting it does at once ({@code
 * mpcw.node.vote-server.*}); where it listens is {@code mpcw.node.quic-address}.
 *
 * @param orchestratorIdentity certificate CN of the orchestrator
 * @param nodeIdentityPattern regular expression the CN of a cluster node matches
 * @param workers threads that evaluate, sign and record votes (they block on etcd)
 * @param queueCapacity votes waiting for a worker before requests are refused as overloaded
 */
@Validated
@ConfigurationProperties("mpcw.node.vote-server")
public record VoteServerProperties(
    @DefaultValue("orchestrator") String orchestratorIdentity,
    @DefaultValue("node-[0-9]+") String nodeIdentityPattern,
    @DefaultValue("8") @Min(1) int workers,
    @DefaultValue("1024") @Min(1) int queueCapacity) {

  public VoteServerProperties {
    if (Pattern.compile(nodeIdentityPattern).matcher(orchestratorIdentity).matches()) {
      throw new IllegalArgumentException(
          "mpcw.node.vote-server.orchestrator-identity "
              + orchestratorIdentity
              + " matches node-identity-pattern "
              + nodeIdentityPattern
              + ": the orchestrator would count as a node");
    }
  }

  /** Who counts as a cluster node: the pattern, never the orchestrator or another service. */
  public NodeIdentities nodeIdentities() {
    return NodeIdentities.of(nodeIdentityPattern, Set.of(orchestratorIdentity));
  }
}
