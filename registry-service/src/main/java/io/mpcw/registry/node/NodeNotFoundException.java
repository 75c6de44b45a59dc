package io.mpcw.registry.node;

/** The node is not registered (never was, was deregistered, or the database was reset). */
public class NodeNotFoundException extends RuntimeException {
  private final String nodeId;

  NodeNotFoundException(String nodeId) {
    super("node not registered: " + nodeId);
    this.nodeId = nodeId;
  }

  public String nodeId() {
    return nodeId;
  }
}
