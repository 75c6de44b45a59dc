package io.mpcw.node.quic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VoteServerPropertiesTest {

  @Test
  void anOrchestratorIdentityThatLooksLikeANodeIdIsRefused() {
    assertThatThrownBy(() -> new VoteServerProperties("node-99", "node-[0-9]+", 8, 1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("would count as a node");
  }

  @Test
  void nodeIdsAreThePatternWithoutAnyServiceName() {
    var ids = new VoteServerProperties("conductor", "node-[a-z]+", 8, 1024).nodeIdentities();

    assertThat(ids.isNode("node-a")).isTrue();
    assertThat(ids.isNode("conductor")).isFalse();
    assertThat(ids.isNode("orchestrator")).isFalse();
    assertThat(ids.isNode("registry")).isFalse();
  }
}
