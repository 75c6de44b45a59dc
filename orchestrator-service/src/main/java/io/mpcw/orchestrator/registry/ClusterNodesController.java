package io.mpcw.orchestrator.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.orchestrator.web.ApiException;
import io.mpcw.types.problem.ProblemType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Proxies the registry's node list, so clients need only the orchestrator and their API key. While
 * the registry is down it serves the list from the nodes or the stored one: {@code
 * X-Mpcw-Membership-Stale: true}, and {@code X-Mpcw-Membership-Source} says which.
 */
@RestController
class ClusterNodesController {
  static final String STALE_HEADER = "X-Mpcw-Membership-Stale";
  static final String SOURCE_HEADER = "X-Mpcw-Membership-Source";
  private final RegistryClient registry;

  ClusterNodesController(RegistryClient registry) {
    this.registry = registry;
  }

  @GetMapping("/api/v1/cluster/nodes")
  ResponseEntity<JsonNode> nodes() {
    try {
      RegistryClient.NodeList list = registry.nodes();
      return ResponseEntity.ok()
          .header(STALE_HEADER, String.valueOf(list.stale()))
          .header(SOURCE_HEADER, list.source().tag())
          .body(list.document());
    } catch (RegistryUnavailableException e) {
      throw new ApiException(ProblemType.UNAVAILABLE, "The registry cannot be reached.");
    }
  }
}
