package io.mpcw.registry.node;

import io.mpcw.registry.auth.NodeSignatureFilter;
import io.mpcw.types.cluster.ClusterApi;
import io.mpcw.types.cluster.Heartbeat;
import io.mpcw.types.cluster.NodeList;
import io.mpcw.types.cluster.NodeRegistration;
import io.mpcw.types.cluster.NodeStatus;
import io.mpcw.types.cluster.NodeView;
import io.mpcw.types.problem.FieldError;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/** {@code /api/v1/cluster/nodes}: how nodes join, stay alive, leave, and are found. */
@RestController
class NodeController {
  private final NodeService service;

  NodeController(NodeService service) {
    this.service = service;
  }

  /** 201 when the node is new, 200 when it registers again (same effect, idempotent). */
  @PostMapping(
      path = ClusterApi.NODES,
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<NodeView> register(
      @RequestBody NodeRegistration registration,
      @RequestAttribute(NodeSignatureFilter.CALLER) String caller,
      @RequestAttribute(NodeSignatureFilter.CALLER_CERTIFICATE) String certificatePem) {
    NodeService.Registration result = service.register(registration, caller, certificatePem);
    if (!result.created()) {
      return ResponseEntity.ok(result.node());
    }
    URI location =
        UriComponentsBuilder.fromPath(ClusterApi.NODE)
            .buildAndExpand(result.node().nodeId())
            .toUri();
    return ResponseEntity.created(location).body(result.node());
  }

  /** 404 for an unknown node: the node is expected to register again. */
  @PutMapping(
      path = ClusterApi.HEARTBEAT,
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  NodeView heartbeat(
      @PathVariable("node_id") String nodeId,
      @RequestBody Heartbeat beat,
      @RequestAttribute(NodeSignatureFilter.CALLER) String caller) {
    return service.heartbeat(nodeId, beat, caller);
  }

  @DeleteMapping(ClusterApi.NODE)
  ResponseEntity<Void> deregister(
      @PathVariable("node_id") String nodeId,
      @RequestAttribute(NodeSignatureFilter.CALLER) String caller) {
    service.deregister(nodeId, caller);
    return ResponseEntity.noContent().build();
  }

  @GetMapping(path = ClusterApi.NODES, produces = MediaType.APPLICATION_JSON_VALUE)
  NodeList list(@RequestParam("status") Optional<String> status) {
    return service.list(status.map(NodeController::parseStatus));
  }

  private static NodeStatus parseStatus(String value) {
    return NodeStatus.fromWireName(value)
        .orElseThrow(
            () ->
                new RequestValidationException(
                    List.of(new FieldError("status", "must be one of active, suspect, dead"))));
  }
}
