package io.mpcw.protocol.signing;

import static io.mpcw.protocol.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.dkg.MutableClock;
import io.mpcw.protocol.share.ShareStore;
import io.mpcw.protocol.share.WalletShare;
import io.mpcw.protocol.signing.SigningCluster.Payment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A signer signs only in the key epoch it holds as current: never an old one, never a staged one.
 */
class SigningEpochTest {
  private static final List<String> SIGNERS = List.of("node-1", "node-2", "node-4");

  private final SigningCluster cluster = new SigningCluster();
  private final String recipient = SigningCluster.randomRecipient();
  private Map<String, SigningParticipant> nodes;

  @BeforeEach
  void signers() {
    nodes =
        cluster.participants(
            (txId, walletId, to, amount, voters) -> {},
            (txId, txid, node, participants) -> {},
            node -> (txId, epoch, shares) -> {},
            new SpendLimits(10_000),
            new MutableClock());
  }

  @Test
  void aSigningRequestForAnEpochTheNodeDoesNotHoldIsRefusedAtRoundOne() {
    Payment p = cluster.payment(1, recipient, 30_000, 1_000);

    assertRefused(
        () -> cluster.roundOne(nodes, SIGNERS, p, 1), ProtocolErrors.WRONG_EPOCH, "epoch 1");
  }

  @Test
  void roundTwoInAnotherEpochThanRoundOneIsRefused() {
    Payment p = cluster.payment(1, recipient, 30_000, 1_000);
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p, 0);
    SignShareRequest otherEpoch =
        cluster.shareRequest(request.sessionId(), p, request.commitments(), 1);

    assertRefused(
        () -> nodes.get("node-1").share(otherEpoch), ProtocolErrors.WRONG_EPOCH, "epoch 1");
  }

  @Test
  void afterTheNextEpochIsCommittedTheOldEpochCannotSignAndTheNewOneDoes() {
    for (String node : SigningCluster.NODES) {
      ShareStore store = cluster.stores.get(node);
      WalletShare current = store.find(cluster.walletId).orElseThrow();
      store.stage(current.next(current.keyPackage(), current.publicKeyPackage(), 1));
    }
    Payment staged = cluster.payment(1, recipient, 30_000, 1_000);
    // staged is not committed: it does not sign yet
    assertRefused(
        () -> cluster.roundOne(nodes, SIGNERS, staged, 1), ProtocolErrors.WRONG_EPOCH, "epoch 1");

    SigningCluster.NODES.forEach(n -> cluster.stores.get(n).commit(cluster.walletId, 1));

    Payment old = cluster.payment(1, recipient, 30_000, 1_000);
    assertRefused(
        () -> cluster.roundOne(nodes, SIGNERS, old, 0), ProtocolErrors.WRONG_EPOCH, "epoch 0");
    Payment p = cluster.payment(1, recipient, 30_000, 1_000);
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p, 1);
    List<SignShareResponse> responses = new ArrayList<>();
    for (String node : SIGNERS) {
      responses.add(nodes.get(node).share(request));
    }
    byte[] sig = cluster.aggregate(request, p, responses).get(0);
    byte[] sighash = new TaprootSighash(p.tx(), p.prevouts()).sigHash(0, SighashType.DEFAULT);
    assertThat(Bip340.verify(sighash, cluster.outputKey, sig)).isTrue();
  }

  @Test
  void aSessionOpenedBeforeTheCommitIsRefusedInRoundTwoAfterIt() {
    Payment p = cluster.payment(1, recipient, 30_000, 1_000);
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p, 0);
    ShareStore store = cluster.stores.get("node-2");
    WalletShare current = store.find(cluster.walletId).orElseThrow();
    store.stage(current.next(current.keyPackage(), current.publicKeyPackage(), 1));
    store.commit(cluster.walletId, 1);

    assertRefused(() -> nodes.get("node-2").share(request), ProtocolErrors.WRONG_EPOCH, "epoch 0");
  }
}
