package io.mpcw.types.cluster;

/** Paths of the registry API, so the server and its clients cannot drift apart. */
public final class ClusterApi {
  public static final String NODES = "/api/v1/cluster/nodes";
  public static final String NODE = NODES + "/{node_id}";
  public static final String HEARTBEAT = NODE + "/heartbeat";

  private ClusterApi() {}
}
