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
  void signingSessionKeysLiveUnderThePaymentsSigningKeyWithoutReplacingIt() {
    EtcdKeys keys = EtcdKeys.defaults();
    UUID session = UUID.fromString("3f9c1e2a-0000-4000-8000-0000000000aa");
    String base = "/mpcw/signing/" + TX + "/sessions/" + session + "/";
    assertThat(keys.signingLock(TX)).isEqualTo("/mpcw/signing/" + TX);
    assertThat(keys.signingSession(TX, session)).isEqualTo(base);
    assertThat(keys.signingSharesOf(TX, session)).isEqualTo(base + "shares/");
    assertThat(keys.signingShare(TX, session, "node-2")).isEqualTo(base + "shares/node-2");
    assertThat(keys.signingAborted(TX, session)).isEqualTo(base + "aborted");
    assertThatThrownBy(() -> keys.signingShare(TX, session, "../aborted"))
        .isInstanceOf(IllegalArgumentException.class);
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
