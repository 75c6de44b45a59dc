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
 */
@ConfigurationProperties("mpcw.registry")
public record RegistryProperties(
    @DefaultValue("http://127.0.0.1:8000") URI url, @DefaultValue("2s") Duration timeout) {}
