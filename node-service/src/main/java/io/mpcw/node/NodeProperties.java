package io.mpcw.node;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Identity of this node and how it talks to the registry ({@code mpcw.node.*}).
 *
 * @param nodeId this node's id, also its future certificate CN (env {@code MPCW_NODE_ID})
 * @param quicAddress host:port other members use to reach this node's QUIC server (it registers
 *     this address)
 * @param quicBind host:port the QUIC server binds, when it is not {@code quicAddress} (behind a
 *     relay or a NAT that forwards {@code quicAddress} here); empty: {@code quicAddress}
 * @param managementUrl base URL of this node's HTTP/actuator endpoints as others should call it;
 *     empty: {@code http://127.0.0.1:<actual server port>}
 * @param registryUrl base URL of the registry service (env {@code MPCW_REGISTRY_URL})
 * @param heartbeatInterval pause between two heartbeats while the registry answers
 * @param maxBackoff longest pause between attempts while the registry is unreachable
 * @param requestTimeout how long one call to the registry may take
 * @param version software version reported to the registry
 */
@Validated
@ConfigurationProperties("mpcw.node")
public record NodeProperties(
    @DefaultValue("node-1") @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}") String nodeId,
    @DefaultValue("127.0.0.1:7101") @NotBlank String quicAddress,
    @DefaultValue("") String quicBind,
    @DefaultValue("") String managementUrl,
    @DefaultValue("http://127.0.0.1:8000") URI registryUrl,
    @DefaultValue("5s") Duration heartbeatInterval,
    @DefaultValue("10s") Duration maxBackoff,
    @DefaultValue("2s") Duration requestTimeout,
    @DefaultValue("0.1.0-SNAPSHOT") String version) {

  public NodeProperties {
    requirePositive(heartbeatInterval, "heartbeat-interval");
    requirePositive(maxBackoff, "max-backoff");
    requirePositive(requestTimeout, "request-timeout");
    if (!managementUrl.isBlank() && !URI.create(managementUrl).isAbsolute()) {
      throw new IllegalArgumentException("mpcw.node.management-url must be an absolute URL");
    }
  }

  /** Where the QUIC server binds: {@code quicBind}, else the address it registers. */
  public String quicBindAddress() {
    return quicBind.isBlank() ? quicAddress : quicBind;
  }

  /** The configured management URL, or empty to derive it from the port the server got. */
  public Optional<URI> configuredManagementUrl() {
    return managementUrl.isBlank() ? Optional.empty() : Optional.of(URI.create(managementUrl));
  }

  private static void requirePositive(Duration value, String name) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("mpcw.node." + name + " must be positive");
    }
  }
}
