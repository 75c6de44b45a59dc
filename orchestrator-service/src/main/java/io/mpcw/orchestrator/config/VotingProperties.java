package io.mpcw.orchestrator.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the orchestrator asks the nodes.
 *
 * @param requestDeadline how long one vote request to one node may take
 * @param retryInterval pause before nodes that have not answered are asked again
 * @param stragglerGrace once the answers in settle the vote, how much longer the nodes still asked
 *     may take before the vote is decided without them; their answers are still mirrored, and a
 *     grace keeps the evidence against a fast but faulty node that answered a moment later
 * @param coalesce one vote exchange in flight per node, the requests that come meanwhile sent
 *     together as one {@code vote.batch.v1} (false: every request sent at once, alone)
 */
@ConfigurationProperties("mpcw.voting")
public record VotingProperties(
    @DefaultValue("3s") Duration requestDeadline,
    @DefaultValue("300ms") Duration retryInterval,
    @DefaultValue("100ms") Duration stragglerGrace,
    @DefaultValue("true") boolean coalesce) {}
