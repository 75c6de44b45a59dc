package io.mpcw.node.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.embedded.FreePorts;
import io.mpcw.node.TestNode;
import io.mpcw.node.identity.TestPki;
import io.mpcw.testsupport.junit.EtcdExtension;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** The node refuses to start without a usable share key, naming what to fix. */
class ShareStoreStartupTest {

  private static final TestPki PKI = TestPki.inTemporaryDirectory();
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  @TempDir Path shares;

  @AfterAll
  static void deletePki() {
    PKI.delete();
  }

  private Map<String, String> properties(String key) {
    Map<String, String> properties =
        new HashMap<>(
            TestNode.baseProperties(
                "node-2",
                PKI,
                ETCD,
                // nothing listens: the node must fail before it calls the registry
                "http://127.0.0.1:" + FreePorts.next(),
                shares));
    properties.put("mpcw.node.shares.key", key);
    return properties;
  }

  @Test
  void nodeWithoutShareKeyDoesNotStart() {
    assertThatThrownBy(() -> TestNode.start(properties("")))
        .rootCause()
        .isInstanceOf(ShareStoreException.class)
        .hasMessageContaining("mpcw.node.shares.key (env MPCW_SHARE_KEY")
        .hasMessageContaining("mpcw.node.shares.key-file (env MPCW_SHARE_KEY_FILE");
  }

  @Test
  void nodeWithAnotherKeyThanItsStoreDoesNotStart() {
    String key = TestShares.base64Key();
    try (ConfigurableApplicationContext node = TestNode.start(properties(key))) {
      assertThat(node.getBean(EncryptedShareStore.class).size()).isZero();
    }

    assertThatThrownBy(() -> TestNode.start(properties(TestShares.base64Key())))
        .rootCause()
        .isInstanceOf(ShareStoreException.class)
        .hasMessageContaining("the share key does not match the share store");
  }
}
