package io.mpcw.protocol.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaymentCheckTest {
  private static final byte[] WALLET = Txs.randomP2tr();
  private static final byte[] RECIPIENT = Txs.randomP2tr();
  private static final byte[] STRANGER = Txs.randomP2tr();
  private static final SpendLimits LIMITS = new SpendLimits(5_000);
  private static final List<TxOut> PREVOUTS =
      List.of(new TxOut(60_000, WALLET), new TxOut(40_000, WALLET));

  private static PaymentCheck.CheckedSpend check(Transaction tx, long amount) {
    return PaymentCheck.check(tx, PREVOUTS, WALLET, RECIPIENT, amount, LIMITS);
  }

  private static Transaction tx(TxOut... outputs) {
    return Txs.tx(2, 2, List.of(outputs));
  }

  private static void refused(Transaction tx, long amount, String code, String detail) {
    assertThatThrownBy(() -> check(tx, amount))
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(detail);
  }

  @Test
  void acceptsThePaymentWithChangeAndReportsFeeAndChange() {
    PaymentCheck.CheckedSpend spend =
        check(tx(new TxOut(42_000, RECIPIENT), new TxOut(57_000, WALLET)), 42_000);
    assertThat(spend).isEqualTo(new PaymentCheck.CheckedSpend(1_000, 57_000));
  }

  @Test
  void acceptsThePaymentWithoutChange() {
    assertThat(check(tx(new TxOut(97_000, RECIPIENT)), 97_000))
        .isEqualTo(new PaymentCheck.CheckedSpend(3_000, 0));
  }

  @Test
  void acceptsChangeBeforeThePayment() {
    assertThat(check(tx(new TxOut(57_000, WALLET), new TxOut(42_000, RECIPIENT)), 42_000).feeSats())
        .isEqualTo(1_000);
  }

  @Test
  void refusesAnotherAmountToTheRecipient() {
    refused(
        tx(new TxOut(50_000, RECIPIENT), new TxOut(49_000, WALLET)),
        42_000,
        ProtocolErrors.PAYMENT_MISMATCH,
        "output 0 pays 50000 sats, approved 42000");
  }

  @Test
  void refusesATransactionNotPayingTheRecipient() {
    refused(
        tx(new TxOut(42_000, STRANGER), new TxOut(57_000, WALLET)),
        42_000,
        ProtocolErrors.PAYMENT_MISMATCH,
        "no output pays the approved recipient");
  }

  @Test
  void refusesPayingTheRecipientTwice() {
    refused(
        tx(new TxOut(42_000, RECIPIENT), new TxOut(42_000, RECIPIENT)),
        42_000,
        ProtocolErrors.PAYMENT_MISMATCH,
        "pays the recipient a second time");
  }

  @Test
  void refusesChangeToAnotherScript() {
    refused(
        tx(new TxOut(42_000, RECIPIENT), new TxOut(57_000, STRANGER)),
        42_000,
        ProtocolErrors.PAYMENT_MISMATCH,
        "output 1 pays neither the approved recipient nor the wallet");
  }

  @Test
  void refusesAnExtraOutput() {
    refused(
        tx(new TxOut(42_000, RECIPIENT), new TxOut(50_000, WALLET), new TxOut(7_000, WALLET)),
        42_000,
        ProtocolErrors.PAYMENT_MISMATCH,
        "3 outputs");
  }

  @Test
  void refusesDustChange() {
    refused(
        tx(new TxOut(96_800, RECIPIENT), new TxOut(200, WALLET)),
        96_800,
        ProtocolErrors.PAYMENT_MISMATCH,
        "below the dust limit of 330 sats");
  }

  @Test
  void refusesAFeeAboveTheLimit() {
    refused(
        tx(new TxOut(42_000, RECIPIENT), new TxOut(52_000, WALLET)),
        42_000,
        ProtocolErrors.FEE_TOO_HIGH,
        "fee 6000 sats is above this node's limit of 5000 sats");
  }

  @Test
  void acceptsAFeeExactlyAtTheLimit() {
    assertThat(check(tx(new TxOut(42_000, RECIPIENT), new TxOut(53_000, WALLET)), 42_000).feeSats())
        .isEqualTo(5_000);
  }

  @Test
  void refusesOutputsAboveTheInputs() {
    refused(
        tx(new TxOut(42_000, RECIPIENT), new TxOut(60_000, WALLET)),
        42_000,
        ProtocolErrors.PAYMENT_MISMATCH,
        "exceed the inputs");
  }

  @Test
  void refusesAnUnknownVersion() {
    refused(
        Txs.tx(3, 2, List.of(new TxOut(42_000, RECIPIENT), new TxOut(57_000, WALLET))),
        42_000,
        ProtocolErrors.PAYMENT_MISMATCH,
        "version 3");
  }

  @Test
  void acceptsVersionOne() {
    Transaction v1 = Txs.tx(1, 2, List.of(new TxOut(42_000, RECIPIENT), new TxOut(57_000, WALLET)));
    assertThat(check(v1, 42_000).changeSats()).isEqualTo(57_000);
  }

  @Test
  void refusesAPrevoutCountNotMatchingTheInputs() {
    Transaction oneInput = Txs.tx(2, 1, List.of(new TxOut(42_000, RECIPIENT)));
    refused(
        oneInput, 42_000, ProtocolErrors.PAYMENT_MISMATCH, "2 spent outputs given for 1 inputs");
  }

  @Test
  void aPaymentToTheWalletItselfMayCarryChange() {
    PaymentCheck.CheckedSpend spend =
        PaymentCheck.check(
            tx(new TxOut(42_000, WALLET), new TxOut(57_000, WALLET)),
            PREVOUTS,
            WALLET,
            WALLET,
            42_000,
            LIMITS);
    assertThat(spend).isEqualTo(new PaymentCheck.CheckedSpend(1_000, 57_000));
  }
}
