package io.mpcw.registry.auth;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How cluster members (nodes, the orchestrator) prove who they are to the API.
 *
 * @param dir the cluster PKI directory; only its {@code ca.crt} is read here
 * @param maxClockSkew how far a signed request's timestamp may be from this server's clock
 */
@ConfigurationProperties("mpcw.pki")
public record NodeAuthProperties(
    @DefaultValue(".mpcw/pki") Path dir, @DefaultValue("60s") Duration maxClockSkew) {}
