package io.mpcw.orchestrator.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PaymentIdsTest {
  @Test
  void anIdIsAVersion7UuidOfTheRfc4122VariantCarryingItsMillisecond() {
    Instant at = Instant.parse("2026-12-06T00:30:00.123Z");
    UUID id = new PaymentIds(Clock.fixed(at, ZoneOffset.UTC)).next();

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(at.toEpochMilli());
    // and it reads back as any UUID does
    assertThat(UUID.fromString(id.toString())).isEqualTo(id);
  }

  @Test
  void idsOfLaterMillisecondsSortAfterEarlierOnesAsTextAndAsUuids() {
    Instant at = Instant.parse("2026-12-06T00:30:00Z");
    UUID earlier = new PaymentIds(Clock.fixed(at, ZoneOffset.UTC)).next();
    UUID later = new PaymentIds(Clock.fixed(at.plusMillis(1), ZoneOffset.UTC)).next();

    // etcd orders its keys by bytes (the id's text), PostgreSQL orders uuid by its bytes
    assertThat(later.toString()).isGreaterThan(earlier.toString());
    assertThat(
            Long.compareUnsigned(later.getMostSignificantBits(), earlier.getMostSignificantBits()))
        .isPositive();
  }

  @Test
  void idsOfOneMillisecondDifferInTheirRandomBits() {
    PaymentIds ids = new PaymentIds(Clock.fixed(Instant.EPOCH.plusSeconds(1), ZoneOffset.UTC));
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      seen.add(ids.next());
    }
    assertThat(seen).hasSize(10_000);
  }
}
