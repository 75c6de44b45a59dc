package io.mpcw.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.mpcw.testsupport.junit.EtcdExtension;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdExtensionTest {
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  @RegisterExtension static final EtcdExtension OTHER_CLASS = EtcdExtension.shared();

  @Test
  void sharedEtcdConfinesAnIdentityToItsOwnKeysUnderTheClassPrefix() throws Exception {
    UUID tx = UUID.randomUUID();
    OTHER_CLASS.client("node-1").close(); // node-1 now also has a grant under the other prefix
    try (Client node1 = ETCD.client("node-1")) {
      node1
          .getKVClient()
          .put(bytes(ETCD.keys().vote(tx, "node-1")), bytes("v"))
          .get(10, TimeUnit.SECONDS);

      assertThatThrownBy(
              () ->
                  node1
                      .getKVClient()
                      .put(bytes(ETCD.keys().vote(tx, "node-2")), bytes("v"))
                      .get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("permission denied");
      assertThatThrownBy(
              () ->
                  node1
                      .getKVClient()
                      .put(bytes(ETCD.keys().decision(tx)), bytes("approved"))
                      .get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("permission denied");
    }
    assertThat(ETCD.endpoints()).startsWith("https://");
    assertThat(ETCD.tls("node-1").certificate()).exists();
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
