package io.mpcw.types.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class EtcdKeysTest {
  private static final UUID TX = UUID.fromString("3f9c1e2a-0000-4000-8000-000000000001");

  @Test
  void buildsTheBriefsKeyLayoutUnderTheDefaultPrefix() {
    EtcdKeys keys = EtcdKeys.defaults();
    assertThat(keys.vote(TX, "node-1")).isEqualTo("/mpcw/votes/" + TX + "/node-1");
    assertThat(keys.voteCount(TX, "ab".repeat(32)))
        .isEqualTo("/mpcw/vote_counts/" + TX + "/" + "ab".repeat(32));
    assertThat(keys.decision(TX)).isEqualTo("/mpcw/decisions/" + TX);
  }

  @Test
  void refusesPrefixesAndIdsThatCouldEscapeTheLayout() {
    assertThatThrownBy(() -> new EtcdKeys("mpcw")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EtcdKeys("/mpcw/")).isInstanceOf(IllegalArgumentException.class);
    EtcdKeys keys = EtcdKeys.defaults();
    assertThatThrownBy(() -> keys.vote(TX, "../x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> keys.voteCount(TX, "AB".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
