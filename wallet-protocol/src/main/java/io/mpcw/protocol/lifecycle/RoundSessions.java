package io.mpcw.protocol.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one round of a lifecycle operation keeps in memory for the next, keyed by operation and
 * dropped after the TTL. Memory only on purpose: a restart loses it and the operation deals again,
 * so a secret piece never reaches the disk.
 */
final class RoundSessions<T> {
  private record Kept<T>(T state, Instant expiry) {}

  private final Clock clock;
  private final Duration ttl;
  private final Map<UUID, Kept<T>> sessions = new ConcurrentHashMap<>();

  RoundSessions(Clock clock, Duration ttl) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "sessionTtl");
  }

  void put(UUID operationId, T state) {
    purgeExpired();
    sessions.put(operationId, new Kept<>(state, clock.instant().plus(ttl)));
  }

  /** The state of the operation, removed whatever the caller then does with it. */
  Optional<T> take(UUID operationId) {
    purgeExpired();
    return Optional.ofNullable(sessions.remove(operationId)).map(Kept::state);
  }

  /** Drops the state of the operation (an abort); true when there was one. */
  boolean drop(UUID operationId) {
    return sessions.remove(operationId) != null;
  }

  int live() {
    purgeExpired();
    return sessions.size();
  }

  void purgeExpired() {
    Instant now = clock.instant();
    sessions.entrySet().removeIf(e -> !now.isBefore(e.getValue().expiry()));
  }
}
