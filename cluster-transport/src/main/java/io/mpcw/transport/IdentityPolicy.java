package io.mpcw.transport;

import io.mpcw.transport.pki.PeerIdentity;
import java.util.Set;

/**
 * Which authenticated peers a server accepts, e.g. "a registered node or the orchestrator". Asked
 * during the TLS handshake, so it must be fast and thread-safe (read a concurrent snapshot).
 */
@FunctionalInterface
public interface IdentityPolicy {

  boolean permits(PeerIdentity peer);

  static IdentityPolicy anyOf(Set<String> names) {
    Set<String> copy = Set.copyOf(names);
    return peer -> copy.contains(peer.name());
  }

  /** Any certificate the cluster CA issued; for tools and tests. */
  static IdentityPolicy anyClusterMember() {
    return peer -> true;
  }
}
