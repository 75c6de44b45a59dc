package io.mpcw.crypto.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vectors are public data copied byte for byte: each file's git blob id must equal the upstream
 * blob id written in {@code vectors/README.md}, so an edit (or a line-ending conversion) fails here
 * instead of silently changing what the crypto tests check.
 */
class TestVectorFilesTest {

  @ParameterizedTest(name = "{0} is the upstream blob {1}")
  @CsvSource({
    "bip340/test-vectors.csv, 672339129a844a060591bb22f444158ff45438ed",
    "bip341/wallet-test-vectors.json, 11261b00ba24afb90b62109505d9ca5ddd773b3b",
    "rfc9591/frost-secp256k1-sha256.json, b361db5c64c491c70aa6437fc5f243e4b513acd5",
    "zf-frost-secp256k1-tr/vectors.json, 2fedbec2478f1db01ab77ea885e79aad46fb5672",
    "zf-frost-secp256k1-tr/vectors_dkg.json, 55755fbad9090f25dd0427fed280a52b08ac9fa3",
    "zf-frost-secp256k1-tr/elements.json, e8cd4082d348e534a716e450e696c2d68842804d",
    "zf-frost-secp256k1-tr/samples.json, 1cc174a9e594f5687493a953bad7329126a87914",
    "bip174/bip-0174.mediawiki, 454a1db5fa351ff13b4045eb97cba78a1ef1194b",
    "bip371/bip-0371.mediawiki, cc7ad3ed2c174f2cca4e0ad2aeb7ca835d55e225",
    "bip380/bip-0380.mediawiki, fe4cad50b2d8129ccc974636b1921d2b6cd98c67",
    "bip386/bip-0386.mediawiki, 6cf5d74a22f74f649173bb8caeac8e139dd95a5e",
  })
  void vectorFileIsTheUpstreamBlob(String file, String blobId) throws Exception {
    byte[] content = TestVectors.bytes(file);
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
    sha1.update(content);
    assertThat(HexFormat.of().formatHex(sha1.digest())).isEqualTo(blobId);
  }
}
