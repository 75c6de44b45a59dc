package io.mpcw.node.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.Secp256k1Sha256Taproot;
import io.mpcw.crypto.frost.TrustedDealer;
import io.mpcw.protocol.share.WalletShare;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging, committing and discarding key epochs in the encrypted store, across restarts. */
class EpochShareStoreTest {

  @TempDir Path dir;
  private final SecretKey key = TestShares.key(TestShares.base64Key());

  private EncryptedShareStore open() {
    return EncryptedShareStore.open(dir, "node-2", key, new SecureRandom());
  }

  /** Other key material in the same wallet position, as a refresh would produce. */
  private static WalletShare refreshed(WalletShare share, long epoch) {
    TrustedDealer.DealtKeys keys =
        TrustedDealer.generate(Secp256k1Sha256Taproot.INSTANCE, 3, 2, new SecureRandom());
    return share.next(
        keys.keyPackages().get(Identifier.of(share.identifier())), keys.publicKeyPackage(), epoch);
  }

  @Test
  void aStagedShareSurvivesARestartWithoutSigningAndItsCommitReplacesTheOldShare()
      throws Exception {
    WalletShare share = TestShares.share("node-2");
    open().save(share);
    WalletShare next = refreshed(share, 1);
    open().stage(next);

    EncryptedShareStore restarted = open();
    assertThat(restarted.find(share.walletId()).orElseThrow().epoch()).isZero();
    assertThat(restarted.staged(share.walletId(), 1).orElseThrow().keyPackage())
        .isEqualTo(next.keyPackage());

    restarted.commit(share.walletId(), 1);

    EncryptedShareStore after = open();
    WalletShare current = after.find(share.walletId()).orElseThrow();
    assertThat(current.epoch()).isEqualTo(1);
    assertThat(current.keyPackage()).isEqualTo(next.keyPackage());
    assertThat(after.staged(share.walletId(), 1)).isEmpty();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(share.walletId() + ".share", ShareFiles.KEY_CHECK_FILE);
    }
    // committing again is harmless
    after.commit(share.walletId(), 1);
    assertThat(open().find(share.walletId()).orElseThrow().epoch()).isEqualTo(1);
  }

  @Test
  void aDiscardedShareIsGoneAndTheCurrentOneStays() {
    WalletShare share = TestShares.share("node-2");
    EncryptedShareStore store = open();
    store.save(share);
    store.stage(refreshed(share, 1));

    store.discard(share.walletId(), 1);

    EncryptedShareStore restarted = open();
    assertThat(restarted.staged(share.walletId(), 1)).isEmpty();
    assertThat(restarted.find(share.walletId()).orElseThrow().keyPackage())
        .isEqualTo(share.keyPackage());
    assertThatThrownBy(() -> restarted.commit(share.walletId(), 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no share of epoch 1");
  }

  @Test
  void aShareCannotBeStagedForAnEpochThatIsNotAfterTheCurrentOne() {
    WalletShare share = TestShares.share("node-2");
    EncryptedShareStore store = open();
    store.save(share);
    store.stage(refreshed(share, 1));
    store.commit(share.walletId(), 1);

    assertThatThrownBy(() -> store.stage(refreshed(share, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not after the current epoch 1");
  }

  @Test
  void aLaterAttemptReplacesAStagedShareThatWasNeverCommitted() {
    WalletShare share = TestShares.share("node-2");
    EncryptedShareStore store = open();
    store.save(share);
    store.stage(refreshed(share, 1));
    WalletShare second = refreshed(share, 1);

    store.stage(second);
    store.commit(share.walletId(), 1);

    assertThat(open().find(share.walletId()).orElseThrow().keyPackage())
        .isEqualTo(second.keyPackage());
  }

  @Test
  void aStagedFileLeftBesideTheShareItWasCommittedAsIsRemovedAtStart() throws Exception {
    WalletShare share = TestShares.share("node-2");
    EncryptedShareStore store = open();
    store.save(share);
    WalletShare next = refreshed(share, 1);
    store.stage(next);
    Path staged = dir.resolve(share.walletId() + ShareFiles.STAGED_SUFFIX);
    byte[] stagedBytes = Files.readAllBytes(staged);
    store.commit(share.walletId(), 1);
    // as if the process died after writing the new share but before unlinking the staged one
    Files.write(staged, stagedBytes);

    EncryptedShareStore restarted = open();

    assertThat(Files.exists(staged)).isFalse();
    assertThat(restarted.find(share.walletId()).orElseThrow().epoch()).isEqualTo(1);
  }

  @Test
  void aNodeJoiningByAReshareStagesWithoutACurrentShareAndItsCommitSurvivesARestart() {
    WalletShare share = TestShares.share("node-2");
    WalletShare joining = refreshed(share, 3);
    open().stage(joining);

    EncryptedShareStore restarted = open();
    assertThat(restarted.find(share.walletId())).isEmpty();
    assertThat(restarted.staged(share.walletId(), 3)).isPresent();
    restarted.commit(share.walletId(), 3);

    assertThat(open().find(share.walletId()).orElseThrow().keyPackage())
        .isEqualTo(joining.keyPackage());
  }

  @Test
  void epochZeroCannotBeStagedWithoutACurrentShare() {
    WalletShare share = TestShares.share("node-2");
    assertThatThrownBy(() -> open().stage(share))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("epoch 0 comes from the DKG");
  }

  @Test
  void aNodeLeavingByAReshareErasesItsShareFilesAndStaysErasedAfterARestart() throws Exception {
    WalletShare share = TestShares.share("node-2");
    EncryptedShareStore store = open();
    store.save(share);
    store.stage(refreshed(share, 1));

    store.erase(share.walletId(), 1);
    store.erase(share.walletId(), 1);

    assertThat(store.find(share.walletId())).isEmpty();
    EncryptedShareStore restarted = open();
    assertThat(restarted.find(share.walletId())).isEmpty();
    assertThat(restarted.staged(share.walletId(), 1)).isEmpty();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactly(ShareFiles.KEY_CHECK_FILE);
    }
  }

  @Test
  void aShareOfTheErasedEpochOrLaterIsNotErased() {
    WalletShare share = TestShares.share("node-2");
    EncryptedShareStore store = open();
    store.save(share);
    store.stage(refreshed(share, 1));
    store.commit(share.walletId(), 1);

    assertThatThrownBy(() -> store.erase(share.walletId(), 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not erased");
    assertThat(open().find(share.walletId())).isPresent();
  }
}
