package io.mpcw.chain.simulator.ledger;

/** The ledger refused a transaction, with bitcoind's reject message. */
public final class Rejection extends RuntimeException {
  private final RejectReason reason;

  public Rejection(RejectReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public RejectReason reason() {
    return reason;
  }
}
