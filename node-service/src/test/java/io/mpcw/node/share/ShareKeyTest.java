package io.mpcw.node.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShareKeyTest {

  @TempDir Path dir;

  @Test
  void missingKeyNamesBothSettings() {
    assertThatThrownBy(() -> ShareKey.from(new ShareStoreProperties("", "", "")))
        .isInstanceOf(ShareStoreException.class)
        .hasMessageContaining("mpcw.node.shares.key (env MPCW_SHARE_KEY")
        .hasMessageContaining("mpcw.node.shares.key-file (env MPCW_SHARE_KEY_FILE");
  }

  @Test
  void keyIsReadFromTheKeyFile() throws Exception {
    String key = TestShares.base64Key();
    Path file = Files.writeString(dir.resolve("share.key"), key + "\n");

    assertThat(ShareKey.from(new ShareStoreProperties("", "", file.toString())).getEncoded())
        .isEqualTo(TestShares.key(key).getEncoded());
  }

  @Test
  void keyOfTheWrongLengthIsRefusedWithoutQuotingIt() {
    String shortKey = "c2hvcnQta2V5";

    assertThatThrownBy(() -> ShareKey.from(new ShareStoreProperties("", shortKey, "")))
        .isInstanceOf(ShareStoreException.class)
        .hasMessageContaining("must be 32 bytes")
        .hasMessageNotContaining(shortKey);
  }

  @Test
  void keyThatIsNotBase64IsRefused() {
    assertThatThrownBy(() -> ShareKey.from(new ShareStoreProperties("", "not*base64!", "")))
        .isInstanceOf(ShareStoreException.class)
        .hasMessageContaining("not base64")
        .hasMessageNotContaining("not*base64!");
  }

  @Test
  void bothSettingsAtOnceAreRefused() {
    assertThatThrownBy(
            () -> ShareKey.from(new ShareStoreProperties("", TestShares.base64Key(), "/k")))
        .isInstanceOf(ShareStoreException.class)
        .hasMessageContaining("set only one");
  }

  @Test
  void propertiesNeverPrintTheKey() {
    String key = TestShares.base64Key();

    assertThat(new ShareStoreProperties("", key, "").toString()).doesNotContain(key);
  }

  @Test
  void defaultDirectoryIsPerNode() {
    assertThat(new ShareStoreProperties("", "", "").directory("node-4"))
        .isEqualTo(Path.of("data", "shares", "node-4"));
    assertThat(new ShareStoreProperties("/var/mpcw", "", "").directory("node-4"))
        .isEqualTo(Path.of("/var/mpcw"));
  }
}
