package io.mpcw.protocol.signing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Round 2, {@code sign.share.v1}: the whole unsigned transaction and what it spends, the approved
 * payment it claims to carry out, and every chosen signer's round-1 commitments. The node
 * recomputes each input's BIP-341 sighash itself; nothing here is a message to sign blindly.
 *
 * @param unsignedTx hex of the transaction without witnesses
 * @param prevouts the outputs spent by the inputs, in input order
 * @param commitments signer node id → its per-input commitments (hex), as returned in round 1
 * @param epoch the key epoch of round 1; the node refuses another ({@code WRONG_EPOCH})
 */
public record SignShareRequest(
    UUID sessionId,
    UUID txId,
    UUID walletId,
    String recipient,
    long amountSats,
    String unsignedTx,
    List<Prevout> prevouts,
    Map<String, List<String>> commitments,
    long epoch) {
  public static final String TYPE = "sign.share.v1";

  /** A request in epoch 0, the key epoch of a wallet fresh from its DKG. */
  public SignShareRequest(
      UUID sessionId,
      UUID txId,
      UUID walletId,
      String recipient,
      long amountSats,
      String unsignedTx,
      List<Prevout> prevouts,
      Map<String, List<String>> commitments) {
    this(sessionId, txId, walletId, recipient, amountSats, unsignedTx, prevouts, commitments, 0);
  }

  public SignShareRequest {
    Objects.requireNonNull(sessionId, "session_id");
    Objects.requireNonNull(txId, "tx_id");
    Objects.requireNonNull(walletId, "wallet_id");
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(unsignedTx, "unsigned_tx");
    prevouts = List.copyOf(Objects.requireNonNull(prevouts, "prevouts"));
    commitments = Map.copyOf(Objects.requireNonNull(commitments, "commitments"));
    if (amountSats <= 0) {
      throw new IllegalArgumentException("amount_sats must be positive");
    }
  }
}
