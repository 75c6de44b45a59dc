package io.mpcw.node.protocol;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much DKG and signing work this node does at once ({@code mpcw.node.protocol-server.*}). Kept
 * apart from the vote workers so a burst of signing (CPU) never starves voting (etcd), and the
 * other way round.
 *
 * @param workers threads that run DKG steps and signing rounds
 * @param queueCapacity requests waiting for a worker before more are refused as overloaded
 */
@Validated
@ConfigurationProperties("mpcw.node.protocol-server")
public record ProtocolServerProperties(
    @DefaultValue("4") @Min(1) int workers, @DefaultValue("256") @Min(1) int queueCapacity) {}
