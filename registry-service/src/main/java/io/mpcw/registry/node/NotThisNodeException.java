package io.mpcw.registry.node;

/** A cluster member tried to register, heartbeat or deregister as another node. */
public class NotThisNodeException extends RuntimeException {
  public NotThisNodeException(String caller, String nodeId) {
    super(caller + " may not act as " + nodeId, null, false, false);
  }
}
