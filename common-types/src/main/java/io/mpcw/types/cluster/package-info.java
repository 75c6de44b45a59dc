/**
 * Wire messages of the cluster registry API ({@code /api/v1/cluster/nodes}), shared by the registry
 * that serves them and the nodes that call it.
 */
package io.mpcw.types.cluster;
