/**
 * Wire messages of the cluster registry API ({@code /api/v1/cluster/nodes}), shared by the registry
 * that serves them and the nodes that call it, and of the peer exchange ({@code peers.exchange.v1}
 * over QUIC) that replaces the registry while it is down.
 */
package io.mpcw.types.cluster;
