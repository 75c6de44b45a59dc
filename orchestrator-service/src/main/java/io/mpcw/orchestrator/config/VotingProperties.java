package io.mpcw.orchestrator.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the orchestrator asks the nodes.
 *
 * @param requestDeadline how long one vote request to one node may take
 * @param retryInterval pause before nodes that have not answered are asked again
 */
@ConfigurationProperties("mpcw.voting")
public record VotingProperties(
    @DefaultValue("3s") Duration requestDeadline, @DefaultValue("300ms") Duration retryInterval) {}
