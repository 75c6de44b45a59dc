package io.mpcw.transport.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.transport.frame.proto.Envelope;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameAccumulatorTest {

  private final FrameAccumulator frame =
      new FrameAccumulator(1024, UnpooledByteBufAllocator.DEFAULT);

  @Test
  void decodesAFrameDeliveredInPieces() throws Exception {
    Envelope request =
        Envelopes.request("vote", 7, Instant.ofEpochMilli(1234), new byte[] {1, 2, 3});
    byte[] bytes = Frames.encode(request);

    frame.append(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, 2)));
    frame.append(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 2, bytes.length)));

    assertThat(frame.finish()).isEqualTo(request);
    frame.close();
  }

  @Test
  void refusesAnOversizedFrameAsSoonAsItsLengthArrives() {
    assertRefused(
        () -> frame.append(Unpooled.wrappedBuffer(new byte[] {0, 0, 4, 1})),
        FrameRefusal.TOO_LARGE);
  }

  @Test
  void refusesBytesAfterTheEndOfTheFrame() {
    assertRefused(
        () -> frame.append(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 0, 9})),
        FrameRefusal.UNPARSABLE);
  }

  @Test
  void refusesAFrameCutShort() throws Exception {
    frame.append(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 9, 1}));

    assertRefused(frame::finish, FrameRefusal.TRUNCATED);
  }

  @Test
  void refusesAnEmptyStream() {
    assertRefused(frame::finish, FrameRefusal.TRUNCATED);
  }

  @Test
  void refusesAnotherEnvelopeVersion() throws Exception {
    frame.append(
        Unpooled.wrappedBuffer(Frames.encode(Envelope.newBuilder().setVersion(9).build())));

    assertRefused(frame::finish, FrameRefusal.UNSUPPORTED_VERSION);
  }

  @Test
  void refusesBytesThatAreNotAnEnvelope() throws Exception {
    frame.append(
        Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 3, (byte) 0xff, (byte) 0xff, (byte) 0xff}));

    assertRefused(frame::finish, FrameRefusal.UNPARSABLE);
  }

  private void assertRefused(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, FrameRefusal refusal) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FrameException.class, e -> assertThat(e.refusal()).isEqualTo(refusal));
    frame.close();
  }
}
