package io.mpcw.orchestrator.registry;

import java.util.Locale;

/** Where the node list the orchestrator works with came from. */
public enum MembershipSource {
  /** Read from the registry just now. */
  REGISTRY,
  /** The registry is down; the nodes reported it over QUIC. */
  PEERS,
  /** The registry is down and no node answered: the last good list, from PostgreSQL. */
  STORED;

  /** The lower-case name of metrics and the {@code X-Mpcw-Membership-Source} header. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
