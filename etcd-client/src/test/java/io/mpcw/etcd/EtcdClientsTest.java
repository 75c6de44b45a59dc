package io.mpcw.etcd;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a service refuses before it ever reaches etcd (etcd's own refusals: EtcdAccessTest). */
class EtcdClientsTest {

  @TempDir Path dir;

  @Test
  void refusesAPlainHttpEndpoint() {
    assertThatThrownBy(
            () ->
                EtcdClients.connect(
                    "https://127.0.0.1:2379,http://127.0.0.1:2381",
                    EtcdTlsFiles.inPkiDirectory(dir, "node-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be https://")
        .hasMessageContaining("http://127.0.0.1:2381");
  }

  @Test
  void refusesNoEndpoint() {
    assertThatThrownBy(() -> EtcdClients.connect(List.of(), EtcdTlsFiles.inPkiDirectory(dir, "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unsetTlsFilesDefaultToTheIdentitysInThePkiDirectory() {
    Path ownCa = dir.resolve("elsewhere/ca.crt");

    EtcdTlsFiles files = EtcdTlsFiles.orDefaults(null, null, ownCa, dir, "node-3");

    org.assertj.core.api.Assertions.assertThat(files)
        .isEqualTo(new EtcdTlsFiles(dir.resolve("node-3.crt"), dir.resolve("node-3.key"), ownCa));
  }

  @Test
  void namesTheMissingTlsFile() {
    assertThatThrownBy(
            () ->
                EtcdClients.connect(
                    "https://127.0.0.1:2379", EtcdTlsFiles.inPkiDirectory(dir, "node-1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(dir.resolve("node-1.crt").toString());
  }
}
