package io.mpcw.crypto.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class Sha256Test {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void hashesAsFips180DoesForItsExamples() {
    assertThat(HEX.formatHex(Sha256.of(ascii("abc"))))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(HEX.formatHex(Sha256.of()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(Sha256.of(ascii("ab"), ascii("c"))).isEqualTo(Sha256.of(ascii("abc")));
  }

  @Test
  void aDigestInUseLeavesTheNextOneEmpty() {
    MessageDigest first = Sha256.newDigest();
    first.update(ascii("left half way"));

    MessageDigest second = Sha256.newDigest();
    second.update(ascii("abc"));

    assertThat(HEX.formatHex(second.digest()))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(first.digest()).isEqualTo(Sha256.of(ascii("left half way")));
  }

  @Test
  void aTaggedHashIsTheBip340ConstructionWhateverTheThreadAndHowOftenItsTagWasUsed()
      throws Exception {
    byte[] tagHash = Sha256.of(ascii(TaggedHash.BIP340_CHALLENGE));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> checks =
          IntStream.range(0, 2_000)
              .<Callable<Boolean>>mapToObj(
                  i ->
                      () -> {
                        byte[] data = ascii("message " + i);
                        byte[] expected = plainSha256(tagHash, tagHash, data);
                        return MessageDigest.isEqual(
                            TaggedHash.hash(TaggedHash.BIP340_CHALLENGE, data), expected);
                      })
              .toList();
      for (Future<Boolean> check : pool.invokeAll(checks)) {
        assertThat(check.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static byte[] plainSha256(byte[]... parts) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (byte[] part : parts) {
      sha.update(part);
    }
    return sha.digest();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
