package io.mpcw.protocol.signing;

import static io.mpcw.protocol.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.frost.CulpritException;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.dkg.MutableClock;
import io.mpcw.protocol.signing.SigningCluster.Payment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SigningParticipantTest {
  private static final List<String> SIGNERS = List.of("node-1", "node-3", "node-5");
  private static SigningCluster cluster;

  private final Map<UUID, String> locked = new ConcurrentHashMap<>();
  private final SigningLock lock =
      (txId, txid, node, participants) -> {
        if (!locked.computeIfAbsent(txId, k -> txid).equals(txid)) {
          throw new ProtocolException(ProtocolErrors.CONFLICTING_TRANSACTION, "other tx");
        }
      };
  // what an etcd share record holds, in memory: create-only per session and node
  private final Map<String, SignShareResponse> recorded = new ConcurrentHashMap<>();
  private final ShareRecorder recorder =
      (txId, epoch, shares) -> {
        if (recorded.putIfAbsent(shares.sessionId() + "/" + shares.nodeId(), shares) != null) {
          throw new ProtocolException(ProtocolErrors.SHARE_ALREADY_RECORDED, "recorded");
        }
      };
  private volatile boolean approved = true;
  private final ApprovalCheck approvals =
      (txId, walletId, recipient, amount, voters) -> {
        if (!approved) {
          throw new ProtocolException(
              ProtocolErrors.NOT_APPROVED, "2 valid approvals for this payment, 4 required");
        }
      };
  private final MutableClock clock = new MutableClock();
  private Map<String, SigningParticipant> nodes;
  private final String recipient = SigningCluster.randomRecipient();

  @BeforeAll
  static void wallet() {
    cluster = new SigningCluster();
  }

  @BeforeEach
  void signers() {
    nodes = cluster.participants(approvals, lock, node -> recorder, new SpendLimits(10_000), clock);
  }

  private List<SignShareResponse> roundTwo(List<String> chosen, SignShareRequest request) {
    List<SignShareResponse> responses = new ArrayList<>();
    for (String node : chosen) {
      responses.add(nodes.get(node).share(request));
    }
    return responses;
  }

  @Test
  void everyThreeOfTheFiveSignersProduceValidTaprootSignaturesForEveryInput() {
    List<List<String>> subsets = new ArrayList<>();
    List<String> all = SigningCluster.NODES;
    for (int a = 0; a < 5; a++) {
      for (int b = a + 1; b < 5; b++) {
        for (int c = b + 1; c < 5; c++) {
          subsets.add(List.of(all.get(a), all.get(b), all.get(c)));
        }
      }
    }
    assertThat(subsets).hasSize(10);
    for (List<String> chosen : subsets) {
      Payment p = cluster.payment(2, recipient, 42_000, 1_000);
      SignShareRequest request = cluster.roundOne(nodes, chosen, p);
      List<byte[]> signatures = cluster.aggregate(request, p, roundTwo(chosen, request));
      TaprootSighash sighash = new TaprootSighash(p.tx(), p.prevouts());
      for (int i = 0; i < 2; i++) {
        assertThat(
                Bip340.verify(
                    sighash.sigHash(i, SighashType.DEFAULT), cluster.outputKey, signatures.get(i)))
            .as("input %d signed by %s", i, chosen)
            .isTrue();
      }
      Transaction signed = p.tx().withKeyPathSignatures(signatures);
      assertThat(signed.txid()).isEqualTo(p.tx().txid());
    }
    assertThat(nodes.values()).allSatisfy(n -> assertThat(n.liveSessions()).isZero());
  }

  @Test
  void theCoordinatorIdentifiesASignerReturningCorruptShares() {
    nodes.get("node-3").setShareCorruption(true);
    Payment p = cluster.payment(2, recipient, 42_000, 1_000);
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    List<SignShareResponse> responses = roundTwo(SIGNERS, request);
    Frost frost = Frost.taproot();
    for (SignShareResponse r : responses) {
      SignatureShare share = SignatureShare.decode(Hex.decode(r.shares().get(0)));
      if (r.nodeId().equals("node-3")) {
        assertThatThrownBy(
                () -> frost.verifyShare(share, cluster.signingPackage(request, p, 0), cluster.keys))
            .isInstanceOfSatisfying(
                CulpritException.class, e -> assertThat(e.culprit()).isEqualTo(Identifier.of(3)));
      } else {
        frost.verifyShare(share, cluster.signingPackage(request, p, 0), cluster.keys);
      }
    }
  }

  @Test
  void theLockBindsThePaymentToTheUnsignedTxid() {
    Payment p = cluster.payment(2, recipient, 42_000, 1_000);
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    roundTwo(SIGNERS, request);
    assertThat(locked).containsEntry(p.txId(), p.tx().txid().toDisplayHex());
  }

  @Test
  void aRepeatedRoundTwoForOneSessionIsRefused() {
    Payment p = cluster.payment(2, recipient, 42_000, 1_000);
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    nodes.get("node-1").share(request);
    assertRefused(
        () -> nodes.get("node-1").share(request), ProtocolErrors.UNKNOWN_SESSION, "node-1");
  }

  @Test
  void aRefusedRoundTwoStillConsumesTheNonces() {
    approved = false;
    Payment p = cluster.payment(2, recipient, 42_000, 1_000);
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    assertRefused(
        () -> nodes.get("node-1").share(request),
        ProtocolErrors.NOT_APPROVED,
        "2 valid approvals for this payment, 4 required");
    approved = true;
    assertRefused(() -> nodes.get("node-1").share(request), ProtocolErrors.UNKNOWN_SESSION, "");
    assertThat(nodes.get("node-1").liveSessions()).isZero();
  }

  @Test
  void anUnknownSessionIsRefused() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    SignShareRequest request = cluster.shareRequest(UUID.randomUUID(), p, Map.of());
    assertRefused(() -> nodes.get("node-2").share(request), ProtocolErrors.UNKNOWN_SESSION, "");
  }

  @Test
  void aReusedSessionIdIsRefusedAtCommit() {
    UUID session = UUID.randomUUID();
    SignCommitRequest commit =
        new SignCommitRequest(session, UUID.randomUUID(), cluster.walletId, 1, 0);
    nodes.get("node-1").commit(commit);
    assertRefused(
        () -> nodes.get("node-1").commit(commit), ProtocolErrors.MALFORMED_REQUEST, "already used");
  }

  @Test
  void aNodeWithoutAShareOfTheWalletRefusesToCommit() {
    assertRefused(
        () ->
            nodes
                .get("node-1")
                .commit(
                    new SignCommitRequest(
                        UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, 0)),
        ProtocolErrors.NOT_A_PARTICIPANT,
        "holds no share");
  }

  @Test
  void anExpiredSessionIsForgotten() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    assertThat(nodes.get("node-1").liveSessions()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(6));
    assertThat(nodes.get("node-1").liveSessions()).isZero();
    assertRefused(() -> nodes.get("node-1").share(request), ProtocolErrors.UNKNOWN_SESSION, "");
  }

  @Test
  void aNotApprovedPaymentIsRefused() {
    approved = false;
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    assertRefused(() -> nodes.get("node-3").share(request), ProtocolErrors.NOT_APPROVED, "");
  }

  @Test
  void aSessionOpenedForAnotherPaymentIsRefused() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    SignShareRequest other =
        cluster.shareRequest(
            request.sessionId(),
            new Payment(UUID.randomUUID(), recipient, 42_000, p.tx(), p.prevouts()),
            request.commitments());
    assertRefused(
        () -> nodes.get("node-1").share(other),
        ProtocolErrors.BAD_SIGNING_PACKAGE,
        "another payment");
  }

  @Test
  void fewerSignersThanTheThresholdAreRefused() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    SignShareRequest request = cluster.roundOne(nodes, List.of("node-1", "node-2"), p);
    assertRefused(
        () -> nodes.get("node-1").share(request),
        ProtocolErrors.BAD_SIGNING_PACKAGE,
        "2 signers chosen, the wallet needs 3");
  }

  @Test
  void commitmentsOtherThanTheNodesOwnAreRefused() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    // fresh commitments of node-1 from another session replace the ones of this session
    List<String> other =
        nodes
            .get("node-1")
            .commit(new SignCommitRequest(UUID.randomUUID(), p.txId(), cluster.walletId, 1, 0))
            .commitments();
    Map<String, List<String>> swapped = new HashMap<>(request.commitments());
    swapped.put("node-1", other);
    assertRefused(
        () -> nodes.get("node-1").share(cluster.shareRequest(request.sessionId(), p, swapped)),
        ProtocolErrors.BAD_SIGNING_PACKAGE,
        "not the one this node made");
  }

  @Test
  void aSignerListedUnderAnotherNodesNameIsRefused() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    Map<String, List<String>> renamed = new HashMap<>(request.commitments());
    renamed.put("node-2", renamed.remove("node-5"));
    assertRefused(
        () -> nodes.get("node-1").share(cluster.shareRequest(request.sessionId(), p, renamed)),
        ProtocolErrors.BAD_SIGNING_PACKAGE,
        "node-2's commitment for input 0 names identifier 5");
  }

  @Test
  void aWrongRecipientIsRefused() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    SignShareRequest request = signOtherTx(p, SigningCluster.randomRecipient(), 42_000, List.of());
    assertRefused(
        () -> nodes.get("node-1").share(request),
        ProtocolErrors.PAYMENT_MISMATCH,
        "no output pays the approved recipient");
  }

  @Test
  void aWrongAmountIsRefused() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    SignShareRequest request = signOtherTx(p, recipient, 50_000, List.of());
    assertRefused(
        () -> nodes.get("node-1").share(request),
        ProtocolErrors.PAYMENT_MISMATCH,
        "output 0 pays 50000 sats, approved 42000");
  }

  @Test
  void anExtraOutputIsRefused() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    SignShareRequest request =
        signOtherTx(p, recipient, 42_000, List.of(new TxOut(1_000, cluster.walletScript)));
    assertRefused(
        () -> nodes.get("node-1").share(request), ProtocolErrors.PAYMENT_MISMATCH, "3 outputs");
  }

  @Test
  void changeNotToTheWalletIsRefused() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    Transaction tx =
        Txs.tx(
            2,
            1,
            List.of(
                new TxOut(42_000, SigningCluster.scriptOf(recipient)),
                new TxOut(17_000, Txs.randomP2tr())));
    SignShareRequest request = signTx(p.withTx(tx, p.prevouts()));
    assertRefused(
        () -> nodes.get("node-1").share(request),
        ProtocolErrors.PAYMENT_MISMATCH,
        "output 1 pays neither the approved recipient nor the wallet");
  }

  @Test
  void aFeeAboveTheLimitIsRefused() {
    Payment p = cluster.payment(1, recipient, 42_000, 12_000);
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    assertRefused(
        () -> nodes.get("node-1").share(request),
        ProtocolErrors.FEE_TOO_HIGH,
        "fee 12000 sats is above this node's limit of 10000 sats");
  }

  @Test
  void spendingAnOutputNotOfTheWalletIsRefused() {
    Payment p = cluster.payment(2, recipient, 42_000, 1_000);
    List<TxOut> prevouts = List.of(p.prevouts().get(0), new TxOut(60_000, Txs.randomP2tr()));
    SignShareRequest request = signTx(p.withTx(p.tx(), prevouts));
    assertRefused(
        () -> nodes.get("node-1").share(request),
        ProtocolErrors.PAYMENT_MISMATCH,
        "input 1 spends an output not of this wallet");
  }

  @Test
  void aSecondDifferentTransactionForOnePaymentIsRefusedByTheLock() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    roundTwo(SIGNERS, cluster.roundOne(nodes, SIGNERS, p));
    Payment second = p.withTx(cluster.payment(1, recipient, 42_000, 1_000).tx(), p.prevouts());
    SignShareRequest request = signTx(second);
    assertRefused(
        () -> nodes.get("node-1").share(request), ProtocolErrors.CONFLICTING_TRANSACTION, "");
  }

  @Test
  void aSecondTransactionIsRefusedByTheNodesOwnRecordWhenTheSharedLockForgotTheFirst() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    roundTwo(SIGNERS, cluster.roundOne(nodes, SIGNERS, p));
    String firstTxid = p.tx().txid().toDisplayHex();
    Payment second = p.withTx(cluster.payment(1, recipient, 42_000, 1_000).tx(), p.prevouts());
    locked.clear(); // whoever can write etcd can delete the signing lock

    SignShareRequest request = signTx(second);
    assertRefused(
        () -> nodes.get("node-1").share(request),
        ProtocolErrors.CONFLICTING_TRANSACTION,
        "signed payment " + p.txId() + " as transaction " + firstTxid);
    // nothing of the refused transaction was bound in the lock either
    assertThat(locked).doesNotContainKey(p.txId());
    assertThat(cluster.signed.get("node-1").find(p.txId()).orElseThrow().txid())
        .isEqualTo(firstTxid);
  }

  @Test
  void theSameTransactionWithOtherSpentAmountsIsASecondSigningAndIsRefused() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    roundTwo(SIGNERS, cluster.roundOne(nodes, SIGNERS, p));
    // same txid, other sighash: the coordinator lies about the amount spent
    List<TxOut> lied = List.of(new TxOut(61_000, cluster.walletScript));
    SignShareRequest request = signTx(p.withTx(p.tx(), lied));

    assertRefused(
        () -> nodes.get("node-1").share(request),
        ProtocolErrors.CONFLICTING_TRANSACTION,
        "with other spent outputs");
  }

  @Test
  void aRetryOfTheSignedTransactionWithFreshNoncesIsSignedAgain() {
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    roundTwo(SIGNERS, cluster.roundOne(nodes, SIGNERS, p));

    List<SignShareResponse> again = roundTwo(SIGNERS, cluster.roundOne(nodes, SIGNERS, p));

    assertThat(again).hasSize(3).allSatisfy(r -> assertThat(r.shares()).hasSize(1));
  }

  private SignShareRequest signTx(Payment p) {
    return cluster.roundOne(nodes, SIGNERS, p);
  }

  /** Round 1 for a transaction paying {@code payTo} {@code amount}, under payment {@code p}. */
  private SignShareRequest signOtherTx(Payment p, String payTo, long amount, List<TxOut> extra) {
    List<TxOut> outputs = new ArrayList<>();
    outputs.add(new TxOut(amount, SigningCluster.scriptOf(payTo)));
    outputs.add(new TxOut(60_000 - amount - 1_000 - extraValue(extra), cluster.walletScript));
    outputs.addAll(extra);
    return signTx(p.withTx(Txs.tx(2, 1, outputs), p.prevouts()));
  }

  private static long extraValue(List<TxOut> extra) {
    return extra.stream().mapToLong(TxOut::valueSats).sum();
  }
}
