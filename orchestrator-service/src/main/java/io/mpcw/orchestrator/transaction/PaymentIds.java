package io.mpcw.orchestrator.transaction;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * New payment ids: UUID version 7 (RFC 9562 §5.7), the creation millisecond first and 74 random
 * bits after it. Every etcd record of a payment (votes, locks, share records, the decision) and
 * every PostgreSQL index on a payment id is keyed by it: ids that grow with time put each new key
 * next to the last one, where random (version 4) ids land each in another page of etcd's B+tree and
 * of PostgreSQL's indexes, so that the pages written per commit grow with the data kept. The random
 * bits keep ids unguessable; the time they carry is the payment's {@code created_at}, which the API
 * shows anyway.
 */
public final class PaymentIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;

  public PaymentIds() {
    this(Clock.systemUTC());
  }

  PaymentIds(Clock clock) {
    this.clock = clock;
  }

  public UUID next() {
    long millis = clock.millis();
    long randA = RANDOM.nextInt(1 << 12);
    long randB = RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL;
    long most = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
    long least = 0x8000_0000_0000_0000L | randB;
    return new UUID(most, least);
  }
}
