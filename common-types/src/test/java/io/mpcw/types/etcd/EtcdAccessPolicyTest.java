package io.mpcw.types.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.types.etcd.EtcdAccessPolicy.Role;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EtcdAccessPolicyTest {
  private static final UUID TX = UUID.randomUUID();
  private static final UUID SESSION = UUID.randomUUID();
  private static final EtcdKeys KEYS = EtcdKeys.defaults();
  private static final Map<String, Role> ROLES =
      EtcdAccessPolicy.roles(KEYS, List.of("node-1", "node-2", "node-10")).stream()
          .collect(Collectors.toMap(Role::name, Function.identity()));

  @Test
  void orchestratorWritesDecisionsAndAbortsButNoNodeRecord() {
    Role orchestrator = ROLES.get("orchestrator");
    assertThat(orchestrator.mayWrite(KEYS.decision(TX))).isTrue();
    assertThat(orchestrator.mayWrite(KEYS.signingAborted(TX, SESSION))).isTrue();
    assertThat(orchestrator.mayWrite(KEYS.vote(TX, "node-1"))).isFalse();
    assertThat(orchestrator.mayWrite(KEYS.signingLock(TX, "node-1"))).isFalse();
    assertThat(orchestrator.mayWrite(KEYS.signingShare(TX, SESSION, "node-2"))).isFalse();
    assertThat(orchestrator.mayRead(KEYS.vote(TX, "node-1"))).isTrue();
  }

  @Test
  void nodeWritesOnlyItsOwnRecords() {
    Role node1 = ROLES.get("node-1");
    assertThat(node1.mayWrite(KEYS.vote(TX, "node-1"))).isTrue();
    assertThat(node1.mayWrite(KEYS.signingLock(TX, "node-1"))).isTrue();
    assertThat(node1.mayWrite(KEYS.signingShare(TX, SESSION, "node-1"))).isTrue();
    assertThat(node1.mayWrite(KEYS.vote(TX, "node-2"))).isFalse();
    assertThat(node1.mayWrite(KEYS.vote(TX, "node-10"))).isFalse();
    assertThat(node1.mayWrite(KEYS.decision(TX))).isFalse();
    assertThat(node1.mayWrite(KEYS.signingAborted(TX, SESSION))).isFalse();
    assertThat(node1.mayRead(KEYS.decision(TX))).isTrue();
    assertThat(node1.mayRead(KEYS.vote(TX, "node-2"))).isTrue();
  }

  @Test
  void aServiceIdentityCannotBeGivenANodeRole() {
    assertThatThrownBy(() -> EtcdAccessPolicy.roles(KEYS, List.of("orchestrator")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EtcdAccessPolicy.roles(KEYS, List.of("Node 1")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
