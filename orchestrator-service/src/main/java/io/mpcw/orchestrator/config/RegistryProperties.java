package io.mpcw.orchestrator.config;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the registry is.
 *
 * @param url base URL of the registry service
 * @param timeout connect and read timeout of one call
 * @param nodeListTtl how long a node list read from the registry is used before it is read again;
 *     every stage of every payment asks for the list, and liveness changes on the scale of the
 *     heartbeat interval, not of one payment
 */
@ConfigurationProperties("mpcw.registry")
public record RegistryProperties(
    @DefaultValue("http://127.0.0.1:8000") URI url,
    @DefaultValue("2s") Duration timeout,
    @DefaultValue("1s") Duration nodeListTtl) {}
