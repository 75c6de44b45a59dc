package io.mpcw.transport.frame;

/** An incoming frame that is refused; carries the reason for the error reply and the metric. */
public final class FrameException extends Exception {

  private final FrameRefusal refusal;

  public FrameException(FrameRefusal refusal, String message) {
    super(message);
    this.refusal = refusal;
  }

  public FrameRefusal refusal() {
    return refusal;
  }
}
