package io.mpcw.transport.quic;

import static io.mpcw.transport.TransportAssertions.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.ErrorCodes;
import io.mpcw.transport.frame.FrameAccumulator;
import io.mpcw.transport.frame.Frames;
import io.mpcw.transport.frame.proto.Envelope;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bytes no well-behaved client sends, written raw onto a stream of an admitted connection. */
class QuicFrameRefusalTest {

  private final QuicFixture fx = new QuicFixture();
  private Endpoint server;
  private RawQuicStream raw;

  @BeforeEach
  void connect() throws Exception {
    server = fx.echoServer("node-1");
    raw =
        fx.track(
            new RawQuicStream(fx.pki.identity("orchestrator"), fx.pki.ca.certificate(), server));
  }

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  @Test
  void refusesOversizedFrameBeforeReadingItsBodyAndKeepsServing() throws Exception {
    byte[] bytes =
        ByteBuffer.allocate(4 + 64 * 1024).putInt(Frames.DEFAULT_MAX_FRAME_BYTES + 1).array();

    Envelope reply = exchange(bytes);

    assertThat(reply.getError().getCode()).isEqualTo(ErrorCodes.FRAME_TOO_LARGE);
    assertRefusedAndServerStillServes("too_large");
  }

  @Test
  void refusesUnparsableEnvelopeAndKeepsServing() throws Exception {
    byte[] bytes = ByteBuffer.allocate(4 + 8).putInt(8).putLong(-1L).array();

    Envelope reply = exchange(bytes);

    assertThat(reply.getError().getCode()).isEqualTo(ErrorCodes.MALFORMED_FRAME);
    assertRefusedAndServerStillServes("unparsable");
  }

  @Test
  void refusesTruncatedFrameAndKeepsServing() throws Exception {
    byte[] bytes = ByteBuffer.allocate(4 + 10).putInt(100).array();

    Envelope reply = exchange(bytes);

    assertThat(reply.getError().getCode()).isEqualTo(ErrorCodes.MALFORMED_FRAME);
    assertRefusedAndServerStillServes("truncated");
  }

  @Test
  void refusesUnknownEnvelopeVersionAndKeepsServing() throws Exception {
    Envelope future = Envelope.newBuilder().setVersion(2).setType("ping").setRequestId(5).build();

    Envelope reply = exchange(Frames.encode(future));

    assertThat(reply.getError().getCode()).isEqualTo(ErrorCodes.UNSUPPORTED_VERSION);
    assertRefusedAndServerStillServes("unsupported_version");
  }

  @Test
  void serverWithASmallerLimitAnswersFrameTooLargeToAWellFormedRequest() throws Exception {
    Endpoint strict =
        fx.server(fx.pki.identity("node-2"), TransportSettings.defaults().withMaxFrameBytes(1024))
            .start(QuicFixture.ECHO);
    var client = fx.client(fx.pki.identity("orchestrator"));

    assertKind(
        client.request(strict, "bulk", new byte[4096], Duration.ofSeconds(5)),
        TransportException.Kind.FRAME_TOO_LARGE);
    assertThat(fx.count(fx.serverRegistry, "transport_frames_refused_total", "reason", "too_large"))
        .isEqualTo(1);
  }

  private Envelope exchange(byte[] bytes) throws Exception {
    byte[] answer = raw.exchange(bytes).get(5, TimeUnit.SECONDS);
    try (FrameAccumulator frame =
        new FrameAccumulator(Frames.DEFAULT_MAX_FRAME_BYTES, UnpooledByteBufAllocator.DEFAULT)) {
      frame.append(Unpooled.wrappedBuffer(answer));
      return frame.finish();
    }
  }

  private void assertRefusedAndServerStillServes(String reason) throws Exception {
    assertThat(fx.count(fx.serverRegistry, "transport_frames_refused_total", "reason", reason))
        .isEqualTo(1);
    Envelope sameConnection =
        exchange(
            Frames.encode(
                Envelopes.request("ping", 6, Instant.now().plusSeconds(5), new byte[] {1})));
    assertThat(sameConnection.getType()).isEqualTo("echo");
    var client = fx.client(fx.pki.identity("orchestrator"));
    assertThat(
            client
                .request(server, "ping", new byte[] {1}, Duration.ofSeconds(5))
                .get(5, TimeUnit.SECONDS)
                .getType())
        .isEqualTo("echo");
  }
}
