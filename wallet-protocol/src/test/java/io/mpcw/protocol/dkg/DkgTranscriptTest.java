package io.mpcw.protocol.dkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Pins the documented byte layouts: the coordinator and other tools recompute them. */
class DkgTranscriptTest {
  private static final UUID WALLET = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");

  @Test
  void roundOneHashIsSha256OverTheDocumentedLayout() throws Exception {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes("mpcw/dkg-round1/v1".getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes(hex("00112233445566778899aabbccddeeff"));
    expected.writeBytes(new byte[] {0, 6});
    expected.writeBytes("node-2".getBytes(StandardCharsets.UTF_8));
    expected.writeBytes(new byte[] {0, 0, 0, 2, 9, 9});
    expected.writeBytes(new byte[] {0, 6});
    expected.writeBytes("node-1".getBytes(StandardCharsets.UTF_8));
    expected.writeBytes(new byte[] {0, 0, 0, 1, 7});

    byte[] hash =
        DkgTranscript.round1Hash(
            WALLET,
            List.of("node-2", "node-1"),
            Map.of("node-1", new byte[] {7}, "node-2", new byte[] {9, 9}));

    assertThat(hash).isEqualTo(MessageDigest.getInstance("SHA-256").digest(expected.toByteArray()));
  }

  @Test
  void roundOneHashDependsOnParticipantOrderAndContent() {
    Map<String, byte[]> packages = Map.of("a", new byte[] {1}, "b", new byte[] {2});
    byte[] ab = DkgTranscript.round1Hash(WALLET, List.of("a", "b"), packages);
    assertThat(DkgTranscript.round1Hash(WALLET, List.of("b", "a"), packages)).isNotEqualTo(ab);
    assertThat(
            DkgTranscript.round1Hash(
                WALLET, List.of("a", "b"), Map.of("a", new byte[] {1}, "b", new byte[] {3})))
        .isNotEqualTo(ab);
  }

  @Test
  void roundOneHashRefusesAMissingPackage() {
    assertThatThrownBy(
            () -> DkgTranscript.round1Hash(WALLET, List.of("a", "b"), Map.of("a", new byte[1])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("b");
  }

  @Test
  void echoSigningPayloadFollowsTheDocumentedLayout() {
    byte[] echo = new byte[32];
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes("mpcw/dkg-echo/v1".getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes(hex("00112233445566778899aabbccddeeff"));
    expected.writeBytes(ByteBuffer.allocate(2).putShort((short) 6).array());
    expected.writeBytes("node-3".getBytes(StandardCharsets.UTF_8));
    expected.writeBytes(echo);
    assertThat(DkgTranscript.echoSigningPayload(WALLET, "node-3", echo))
        .isEqualTo(expected.toByteArray());
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
