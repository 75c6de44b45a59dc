package io.mpcw.types.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeIdentitiesTest {

  @Test
  void nodeIdsMatchThePatternAndAreNoServiceName() {
    NodeIdentities ids = NodeIdentities.defaults();

    assertThat(ids.isNode("node-1")).isTrue();
    assertThat(ids.isNode("node-12")).isTrue();
    assertThat(ids.refusal("orchestrator"))
        .contains("'orchestrator' is a service identity, not a node");
    assertThat(ids.isNode("registry")).isFalse();
    assertThat(ids.isNode("orchestrator-2")).isFalse();
    assertThat(ids.isNode("node-1a")).isFalse();
    assertThat(ids.isNode(null)).isFalse();
  }

  @Test
  void aConfiguredServiceNameIsNeverANodeEvenWhenThePatternMatchesIt() {
    NodeIdentities ids = NodeIdentities.of("[a-z0-9-]+", Set.of("conductor"));

    assertThat(ids.isNode("conductor")).isFalse();
    assertThat(ids.isNode("orchestrator")).isFalse();
    assertThat(ids.isNode("ca")).isFalse();
    assertThat(ids.isNode("worker-7")).isTrue();
  }
}
