package io.mpcw.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.node.registry.ClusterMembership.Member;
import io.mpcw.types.cluster.NodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerTableTest {
  private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
  private final PeerTable table =
      new PeerTable("node-1", Duration.ofSeconds(10), Duration.ofSeconds(15));

  private static Member member(String id, String address, Instant lastSeen) {
    return new Member(
        id, Optional.of(address), Optional.of("pem-" + id), NodeStatus.ACTIVE, lastSeen);
  }

  @Test
  void theNewerReportOfANodeWinsAndAnOlderOneIsIgnored() {
    Map<String, Member> members = new HashMap<>();
    members.put("node-2", member("node-2", "127.0.0.1:7002", NOW.minusSeconds(5)));

    table.merge(
        members,
        List.of(
            member("node-2", "127.0.0.1:7102", NOW.minusSeconds(1)),
            member("node-3", "127.0.0.1:7003", NOW.minusSeconds(12))),
        NOW);
    table.merge(members, List.of(member("node-2", "127.0.0.1:9999", NOW.minusSeconds(3))), NOW);

    assertThat(members.get("node-2").quicAddress()).contains("127.0.0.1:7102");
    assertThat(members.get("node-2").lastSeen()).isEqualTo(NOW.minusSeconds(1));
    assertThat(members.get("node-3").status()).isEqualTo(NodeStatus.SUSPECT);
  }

  @Test
  void reportsAboutThisNodeAreIgnored() {
    Map<String, Member> members = new HashMap<>();

    table.merge(members, List.of(member("node-1", "10.0.0.1:1", NOW)), NOW);

    assertThat(members).doesNotContainKey("node-1");
  }

  @Test
  void aNodeNotHeardFromTurnsSuspectThenDeadAndHearingItRevivesIt() {
    Map<String, Member> members = new HashMap<>();
    members.put("node-2", member("node-2", "127.0.0.1:7002", NOW));
    Member self = member("node-1", "127.0.0.1:7001", NOW);

    assertThat(table.refresh(members, self, NOW.plusSeconds(9)).get("node-2").status())
        .isEqualTo(NodeStatus.ACTIVE);
    assertThat(table.refresh(members, self, NOW.plusSeconds(10)).get("node-2").status())
        .isEqualTo(NodeStatus.SUSPECT);
    assertThat(table.refresh(members, self, NOW.plusSeconds(15)).get("node-2").status())
        .isEqualTo(NodeStatus.DEAD);
    table.heard(members, "node-2", NOW.plusSeconds(20));
    assertThat(members.get("node-2").status()).isEqualTo(NodeStatus.ACTIVE);
    assertThat(members.get("node-2").lastSeen()).isEqualTo(NOW.plusSeconds(20));
  }

  @Test
  void thisNodeIsAlwaysActiveWhateverItsOldEntrySays() {
    Map<String, Member> members = new HashMap<>();
    members.put("node-1", member("node-1", "127.0.0.1:7001", NOW.minusSeconds(60)));

    table.refresh(members, member("node-1", "127.0.0.1:7001", NOW), NOW);

    assertThat(members.get("node-1").status()).isEqualTo(NodeStatus.ACTIVE);
    assertThat(members.get("node-1").lastSeen()).isEqualTo(NOW);
  }

  @Test
  void hearingAnUnknownNodeAddsNothing() {
    Map<String, Member> members = new HashMap<>();

    table.heard(members, "node-9", NOW);

    assertThat(members).isEmpty();
  }
}
