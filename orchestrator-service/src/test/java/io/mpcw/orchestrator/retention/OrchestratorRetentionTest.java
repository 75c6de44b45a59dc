package io.mpcw.orchestrator.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.orchestrator.config.EtcdProperties;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.retention.RetentionSweeper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The orchestrator's retention on real PostgreSQL and a real etcd with authentication, connected as
 * the orchestrator: a decision (or abort) goes once it is older than the retention period AND its
 * payment is terminal; a payment in flight keeps its decision, the fence against late votes.
 */
class OrchestratorRetentionTest extends OrchestratorTestBase {
  private static final Duration RETENTION = Duration.ofDays(7);

  @Autowired EtcdProperties etcdProperties;
  @Autowired RetentionSweeper contextSweeper;
  @Autowired MeterRegistry contextMeters;

  private final UUID walletId = UUID.randomUUID();
  private final SteppedClock clock = new SteppedClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private Client orchestrator;
  private Client root;
  private EtcdKeys keys;
  private RetentionSweeper sweeper;

  @BeforeEach
  void connect() {
    keys = ETCD.keys();
    orchestrator = ETCD.client("orchestrator");
    root = ETCD.client("root");
    sweeper =
        EtcdRetentionConfiguration.sweeper(
            orchestrator,
            keys,
            etcdProperties,
            new RetentionProperties(true, RETENTION, Duration.ofMinutes(5)),
            jdbc,
            meters,
            clock);
    jdbc.sql("INSERT INTO wallets (id, name, threshold, network) VALUES (?, ?, 3, 'regtest')")
        .params(walletId, "retention-" + walletId)
        .update();
  }

  @AfterEach
  void disconnect() {
    jdbc.sql("DELETE FROM transactions WHERE wallet_id = ?").param(walletId).update();
    jdbc.sql("DELETE FROM wallets WHERE id = ?").param(walletId).update();
    orchestrator.close();
    root.close();
  }

  @Test
  void recordsOfTerminalPaymentsOlderThanRetentionArePrunedAndThoseOfLivePaymentsKept()
      throws Exception {
    UUID confirmed = payment("confirmed");
    UUID failed = payment("failed");
    UUID rejected = payment("rejected");
    UUID signing = payment("signing");
    UUID unknown = UUID.randomUUID(); // no row here: not known to be over
    UUID session = UUID.randomUUID();
    for (UUID tx : new UUID[] {confirmed, failed, rejected, signing, unknown}) {
      put(keys.decision(tx), "approved");
    }
    put(keys.signingAborted(failed, session), "");
    put(keys.signingAborted(signing, session), "");
    // not a payment's key: nobody can tell whether it is over
    put(keys.decisions() + "not-a-payment", "approved");
    sweeper.sweep();
    clock.advance(RETENTION);

    sweeper.sweep();

    assertThat(exists(keys.decision(confirmed))).isFalse();
    assertThat(exists(keys.decision(failed))).isFalse();
    assertThat(exists(keys.decision(rejected))).isFalse();
    assertThat(exists(keys.signingAborted(failed, session))).isFalse();
    assertThat(exists(keys.decision(signing))).isTrue();
    assertThat(exists(keys.signingAborted(signing, session))).isTrue();
    assertThat(exists(keys.decision(unknown))).isTrue();
    assertThat(exists(keys.decisions() + "not-a-payment")).isTrue();
    assertThat(pruned("decisions")).isEqualTo(3);
    assertThat(pruned("aborts")).isEqualTo(1);
  }

  @Test
  void aTerminalPaymentsDecisionYoungerThanRetentionIsKept() throws Exception {
    UUID old = payment("cancelled");
    UUID young = payment("aborted_byzantine");
    put(keys.decision(old), "rejected");
    sweeper.sweep();
    put(keys.decision(young), "aborted_byzantine");
    clock.advance(RETENTION);

    sweeper.sweep();

    assertThat(exists(keys.decision(old))).isFalse();
    assertThat(exists(keys.decision(young))).isTrue();
  }

  @Test
  void theOrchestratorRunsItsSweeperOutOfTheBox() {
    assertThat(contextSweeper).isNotNull();
    assertThat(contextMeters.get("etcd.records.pruned").tag("kind", "decisions").counter())
        .isNotNull();
    assertThat(contextMeters.get("etcd.records.pruned").tag("kind", "aborts").counter())
        .isNotNull();
    assertThat(contextMeters.get("etcd.retention.cutoff.revision").gauge()).isNotNull();
  }

  private UUID payment(String state) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "INSERT INTO transactions (id, wallet_id, recipient, amount_sats, fee_rate_sat_vb,"
                + " state, created_at, updated_at, state_entered_at, next_attempt_at)"
                + " VALUES (?, ?, ?, 1000, 2, ?, now(), now(), now(), now())")
        .params(id, walletId, ADDRESS, state)
        .update();
    return id;
  }

  private void put(String key, String value) throws Exception {
    orchestrator.getKVClient().put(bytes(key), bytes(value)).get(10, TimeUnit.SECONDS);
  }

  private boolean exists(String key) throws Exception {
    return root.getKVClient().get(bytes(key)).get(10, TimeUnit.SECONDS).getCount() == 1;
  }

  private double pruned(String kind) {
    return meters.get("etcd.records.pruned").tag("kind", kind).counter().count();
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  /** A clock moved by hand: no sleeping on wall-clock time. */
  private static final class SteppedClock extends Clock {
    private volatile Instant now;

    SteppedClock(Instant start) {
      now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
