package io.mpcw.votes;

/** etcd could not be reached or did not answer in time; the caller may retry later. */
public class VoteLedgerException extends RuntimeException {
  public VoteLedgerException(String message, Throwable cause) {
    super(message, cause);
  }
}
