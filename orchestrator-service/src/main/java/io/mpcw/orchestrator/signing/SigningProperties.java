package io.mpcw.orchestrator.signing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the orchestrator runs FROST signing rounds.
 *
 * @param requestDeadline one round-1 or round-2 request to one node
 * @param retryDelay pause before a new attempt after a failed one
 */
@ConfigurationProperties("mpcw.signing")
public record SigningProperties(
    @DefaultValue("5s") Duration requestDeadline, @DefaultValue("100ms") Duration retryDelay) {}
