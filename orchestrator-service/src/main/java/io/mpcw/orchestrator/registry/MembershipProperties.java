package io.mpcw.orchestrator.registry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the node list comes from while the registry is down ({@code mpcw.membership.*}).
 *
 * @param askNodes how many known nodes are asked for their peer list at once
 * @param peerDeadline how long one node may take to answer that request
 * @param peerRefreshInterval how long an answer from the nodes (or their silence) is reused
 * @param persistInterval the stored list is rewritten at least this often while it is unchanged, so
 *     its last-seen times stay near the truth
 */
@ConfigurationProperties("mpcw.membership")
public record MembershipProperties(
    @DefaultValue("3") int askNodes,
    @DefaultValue("2s") Duration peerDeadline,
    @DefaultValue("3s") Duration peerRefreshInterval,
    @DefaultValue("30s") Duration persistInterval) {

  public MembershipProperties {
    if (askNodes < 1) {
      throw new IllegalArgumentException("mpcw.membership.ask-nodes must be at least 1");
    }
  }
}
