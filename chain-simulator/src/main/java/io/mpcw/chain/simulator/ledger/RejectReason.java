package io.mpcw.chain.simulator.ledger;

import java.util.Locale;

/**
 * Why a transaction was refused, with bitcoind's RPC error code. The set is closed so that it can
 * label a metric without unbounded cardinality.
 */
public enum RejectReason {
  /** Not a transaction (RPC_DESERIALIZATION_ERROR). */
  DECODE(-22),
  /** The chain already has it (RPC_VERIFY_ALREADY_IN_CHAIN); clients treat this as success. */
  ALREADY_KNOWN(-27),
  /** Malformed in itself: null prevout, duplicate inputs (consensus, RPC_VERIFY_REJECTED). */
  INVALID(-26),
  /** An output below the dust limit (policy). */
  DUST(-26),
  /** Spends an output a mempool transaction already spends. */
  MEMPOOL_CONFLICT(-26),
  /** Spends an output that does not exist or is spent (RPC_TRANSACTION_ERROR). */
  MISSING_INPUTS(-25),
  /** Outputs worth more than the inputs. */
  INSUFFICIENT_VALUE(-26),
  /** Pays less than the minimum relay fee. */
  FEE_TOO_LOW(-26),
  /** Pays more than the caller's maxfeerate (RPC_TRANSACTION_ERROR). */
  FEE_TOO_HIGH(-25),
  /** An input's signature or script does not verify. */
  SCRIPT_VERIFY(-26);

  private final int code;

  RejectReason(int code) {
    this.code = code;
  }

  /** The JSON-RPC error code bitcoind answers with. */
  public int code() {
    return code;
  }

  /** The metric label, e.g. {@code mempool_conflict}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
