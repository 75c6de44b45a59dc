package io.mpcw.types.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Body of {@code GET /api/v1/cluster/nodes}, sorted by node id. */
public record NodeList(@JsonProperty("nodes") List<NodeView> nodes) {
  public NodeList {
    nodes = List.copyOf(nodes);
  }
}
