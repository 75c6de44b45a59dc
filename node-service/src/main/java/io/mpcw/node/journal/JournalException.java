package io.mpcw.node.journal;

/** The node journal is damaged or cannot be written: the node must not act on what it lost. */
public final class JournalException extends RuntimeException {
  public JournalException(String message) {
    super(message);
  }

  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
