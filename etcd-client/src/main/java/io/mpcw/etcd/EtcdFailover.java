package io.mpcw.etcd;

import java.time.Duration;

/**
 * How a multi-member client moves to another etcd member ({@link MemberFailoverKv}).
 *
 * @param rounds how many times each member may be tried for one call: a second round covers an
 *     election in progress, when every member refuses with "no leader" for a moment
 * @param roundPause wait before the next round starts (the first attempt of a round never waits)
 * @param connectTimeout bound on opening a connection to one member: a member behind a dropped link
 *     is given up after this, and the call (not sent) moves on
 * @param randomFirstMember start each client on a random member, so the processes of a cluster
 *     spread over the members; false starts on the first endpoint (tests that must know where)
 */
public record EtcdFailover(
    int rounds, Duration roundPause, Duration connectTimeout, boolean randomFirstMember) {

  /** Two rounds 200 ms apart, 1 s to connect, random first member. */
  public static final EtcdFailover DEFAULTS =
      new EtcdFailover(2, Duration.ofMillis(200), Duration.ofSeconds(1), true);

  public EtcdFailover {
    if (rounds < 1) {
      throw new IllegalArgumentException("etcd failover rounds must be at least 1: " + rounds);
    }
    if (roundPause.isNegative() || connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("etcd failover durations must be positive");
    }
  }

  /** The same, but the client starts on the first endpoint given. */
  public EtcdFailover startingAtFirstMember() {
    return new EtcdFailover(rounds, roundPause, connectTimeout, false);
  }
}
