package io.mpcw.types.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class EtcdKeysTest {
  private static final UUID TX = UUID.fromString("3f9c1e2a-0000-4000-8000-000000000001");
  private static final UUID SESSION = UUID.fromString("3f9c1e2a-0000-4000-8000-0000000000aa");

  @Test
  void nodeKeysLiveUnderTheirNodesPrefix() {
    EtcdKeys keys = EtcdKeys.defaults();
    assertThat(keys.nodeRecords("node-1")).isEqualTo("/mpcw/nodes/node-1/");
    assertThat(keys.vote(TX, "node-1")).isEqualTo("/mpcw/nodes/node-1/votes/" + TX);
    assertThat(keys.signingLock(TX, "node-2")).isEqualTo("/mpcw/nodes/node-2/locks/" + TX);
    assertThat(keys.signingShare(TX, SESSION, "node-2"))
        .isEqualTo("/mpcw/nodes/node-2/shares/" + TX + "/" + SESSION);
  }

  @Test
  void orchestratorKeysLiveUnderTheOrchestratorsPrefix() {
    EtcdKeys keys = EtcdKeys.defaults();
    assertThat(keys.decision(TX)).isEqualTo("/mpcw/orchestrator/decisions/" + TX);
    assertThat(keys.signingAborted(TX, SESSION))
        .isEqualTo("/mpcw/orchestrator/aborts/" + TX + "/" + SESSION);
  }

  @Test
  void eachKindOfRecordHasAPrefixOfItsOwnInsideItsWritersRange() {
    EtcdKeys keys = EtcdKeys.defaults();
    assertThat(keys.vote(TX, "node-1")).startsWith(keys.nodeVotes("node-1"));
    assertThat(keys.signingLock(TX, "node-1")).startsWith(keys.nodeLocks("node-1"));
    assertThat(keys.signingShare(TX, SESSION, "node-1")).startsWith(keys.nodeShares("node-1"));
    assertThat(keys.decision(TX)).startsWith(keys.decisions());
    assertThat(keys.signingAborted(TX, SESSION)).startsWith(keys.aborts());
    for (String kind :
        new String[] {
          keys.nodeVotes("node-1"), keys.nodeLocks("node-1"), keys.nodeShares("node-1")
        }) {
      assertThat(kind).startsWith(keys.nodeRecords("node-1")).endsWith("/");
    }
    assertThat(keys.decisions()).startsWith(keys.orchestratorRecords()).endsWith("/");
    assertThat(keys.aborts()).startsWith(keys.orchestratorRecords()).endsWith("/");
  }

  @Test
  void oneNodesPrefixIsNotAPrefixOfAnothers() {
    EtcdKeys keys = EtcdKeys.defaults();
    String end = EtcdKeys.rangeEnd(keys.nodeRecords("node-1"));
    assertThat(end).isEqualTo("/mpcw/nodes/node-10");
    String node10 = keys.vote(TX, "node-10");
    assertThat(node10.compareTo(end)).isGreaterThanOrEqualTo(0);
  }

  @Test
  void refusesPrefixesAndIdsThatCouldEscapeTheLayout() {
    assertThatThrownBy(() -> new EtcdKeys("mpcw")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EtcdKeys("/mpcw/")).isInstanceOf(IllegalArgumentException.class);
    EtcdKeys keys = EtcdKeys.defaults();
    assertThatThrownBy(() -> keys.vote(TX, "../x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> keys.signingShare(TX, SESSION, "../orchestrator"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
