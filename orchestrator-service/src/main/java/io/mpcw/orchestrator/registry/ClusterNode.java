package io.mpcw.orchestrator.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A node as the registry lists it (fields the orchestrator uses; others pass through the proxy).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterNode(
    String nodeId, String quicAddress, String status, double cpuLoad, String certificate) {

  public boolean isActive() {
    return "active".equals(status);
  }
}
