package io.mpcw.orchestrator.psbt;

import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.payment.Payments;
import io.mpcw.orchestrator.transaction.TransactionRecord;
import io.mpcw.orchestrator.transaction.TransactionRepository;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.orchestrator.web.ApiException;
import io.mpcw.types.problem.ProblemType;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/transactions/{id}/psbt}: a built payment as a PSBT (see {@link PaymentPsbt}).
 */
@RestController
@RequestMapping(path = "/api/v1/transactions", produces = MediaType.APPLICATION_JSON_VALUE)
class PsbtController {
  private final TransactionRepository transactions;
  private final Payments payments;
  private final Wallets wallets;

  PsbtController(TransactionRepository transactions, Payments payments, Wallets wallets) {
    this.transactions = transactions;
    this.payments = payments;
    this.wallets = wallets;
  }

  record PsbtView(String psbt) {}

  @GetMapping("/{id}/psbt")
  PsbtView get(@PathVariable UUID id) {
    TransactionRecord tx =
        transactions
            .find(id)
            .orElseThrow(
                () -> new ApiException(ProblemType.NOT_FOUND, "No transaction " + id + "."));
    BuiltPayment built =
        payments
            .find(id)
            .orElseThrow(
                () ->
                    new ApiException(
                        ProblemType.INVALID_STATE,
                        "Transaction "
                            + id
                            + " has no Bitcoin transaction yet (state "
                            + tx.state().wireName()
                            + "): it is built once approved."));
    Wallet wallet = wallets.find(tx.walletId()).orElseThrow();
    byte[] group = wallet.groupPublicKey().orElseThrow();
    byte[] internalKey = Arrays.copyOfRange(group, 1, group.length);
    return new PsbtView(
        PaymentPsbt.of(built, internalKey, wallet.scriptPubKey().orElseThrow()).toBase64());
  }
}
