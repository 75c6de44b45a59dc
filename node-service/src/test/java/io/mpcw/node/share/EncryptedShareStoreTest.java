package io.mpcw.node.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.protocol.share.WalletShare;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.UUID;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedShareStoreTest {

  @TempDir Path dir;
  private final SecretKey key = TestShares.key(TestShares.base64Key());

  private EncryptedShareStore open(SecretKey with) {
    return EncryptedShareStore.open(dir, "node-2", with, new SecureRandom());
  }

  @Test
  void shareSurvivesReopeningWithTheSameKey() {
    WalletShare share = TestShares.share("node-2");
    open(key).save(share);

    EncryptedShareStore reopened = open(key);

    WalletShare found = reopened.find(share.walletId()).orElseThrow();
    assertThat(found.keyPackage()).isEqualTo(share.keyPackage());
    assertThat(found.publicKeyPackage()).isEqualTo(share.publicKeyPackage());
    assertThat(found.groupPublicKey()).isEqualTo(share.groupPublicKey());
    assertThat(found.participants()).isEqualTo(share.participants());
    assertThat(found.identifier()).isEqualTo(2);
    assertThat(found.threshold()).isEqualTo(2);
    assertThat(reopened.size()).isEqualTo(1);
    assertThat(reopened.find(UUID.randomUUID())).isEmpty();
  }

  @Test
  void shareFileHoldsNoPlaintextKeyMaterial() throws Exception {
    WalletShare share = TestShares.share("node-2");
    open(key).save(share);

    byte[] file = Files.readAllBytes(dir.resolve(share.walletId() + ".share"));

    byte[] secret = share.keyPackage().signingShare().encode();
    assertThat(indexOf(file, secret)).isNegative();
    assertThat(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("node-1");
  }

  @Test
  void twoWritesOfOneShareUseDifferentNonces() throws Exception {
    WalletShare share = TestShares.share("node-2");
    Path other = Files.createDirectory(dir.resolve("other"));
    open(key).save(share);
    EncryptedShareStore.open(other, "node-2", key, new SecureRandom()).save(share);

    assertThat(Files.readAllBytes(dir.resolve(share.walletId() + ".share")))
        .isNotEqualTo(Files.readAllBytes(other.resolve(share.walletId() + ".share")));
  }

  @Test
  void neverOverwritesAShare() throws Exception {
    EncryptedShareStore store = open(key);
    WalletShare share = TestShares.share("node-2");
    store.save(share);
    Path file = dir.resolve(share.walletId() + ".share");
    byte[] before = Files.readAllBytes(file);
    WalletShare other = TestShares.share("node-2");
    WalletShare sameWallet =
        new WalletShare(
            share.walletId(),
            "node-2",
            2,
            2,
            share.participants(),
            other.keyPackage(),
            other.publicKeyPackage(),
            other.groupPublicKey());

    assertThatThrownBy(() -> store.save(sameWallet)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> open(key).save(sameWallet)).isInstanceOf(IllegalStateException.class);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(open(key).find(share.walletId()).orElseThrow().keyPackage())
        .isEqualTo(share.keyPackage());
  }

  @Test
  void wrongKeyIsRefusedEvenWithoutAnyWallet() {
    open(key);

    assertThatThrownBy(() -> open(TestShares.key(TestShares.base64Key())))
        .isInstanceOf(ShareStoreException.class)
        .hasMessageContaining("share key does not match")
        .hasMessageContaining("mpcw.node.shares.key");
  }

  @Test
  void wrongKeyIsRefusedWhenTheKeyCheckIsMissing() throws Exception {
    open(key).save(TestShares.share("node-2"));
    Files.delete(dir.resolve(ShareFiles.KEY_CHECK_FILE));

    assertThatThrownBy(() -> open(TestShares.key(TestShares.base64Key())))
        .isInstanceOf(ShareStoreException.class)
        .hasMessageContaining("share key does not match");
    assertThat(dir.resolve(ShareFiles.KEY_CHECK_FILE)).doesNotExist();
  }

  @Test
  void tamperedShareFileIsRefusedByName() throws Exception {
    WalletShare share = TestShares.share("node-2");
    open(key).save(share);
    Path file = dir.resolve(share.walletId() + ".share");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 20] ^= 1;
    Files.write(file, bytes);

    assertThatThrownBy(() -> open(key))
        .isInstanceOf(ShareStoreException.class)
        .hasMessageContaining(file.toAbsolutePath().toString())
        .hasMessageContaining("damaged");
  }

  @Test
  void shareFileRenamedToAnotherWalletIsRefused() throws Exception {
    WalletShare share = TestShares.share("node-2");
    open(key).save(share);
    Path moved = dir.resolve(UUID.randomUUID() + ".share");
    Files.move(dir.resolve(share.walletId() + ".share"), moved);

    assertThatThrownBy(() -> open(key))
        .isInstanceOf(ShareStoreException.class)
        .hasMessageContaining(moved.toAbsolutePath().toString());
  }

  @Test
  void storeOfAnotherNodeDoesNotOpen() {
    open(key);

    assertThatThrownBy(() -> EncryptedShareStore.open(dir, "node-3", key, new SecureRandom()))
        .isInstanceOf(ShareStoreException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void unfinishedWriteIsRemovedAtStart() throws Exception {
    open(key);
    Path leftover = Files.write(dir.resolve(".tmp-1234"), new byte[] {1, 2, 3});

    open(key);

    assertThat(leftover).doesNotExist();
  }

  @Test
  void refusesAShareOfAnotherNode() {
    EncryptedShareStore store = open(key);

    assertThatThrownBy(() -> store.save(TestShares.share("node-1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
