package io.mpcw.node.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.frost.SigningPackage;
import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.tx.Txid;
import io.mpcw.crypto.util.Hex;
import io.mpcw.node.TestNode;
import io.mpcw.node.identity.TestPki;
import io.mpcw.node.quic.NodeQuicServer;
import io.mpcw.node.registry.FakeRegistry;
import io.mpcw.node.registry.PeerCertificates;
import io.mpcw.node.share.EncryptedShareStore;
import io.mpcw.node.vote.VoteSigner;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.dkg.DkgPart1Request;
import io.mpcw.protocol.dkg.DkgPart1Response;
import io.mpcw.protocol.dkg.DkgPart2Request;
import io.mpcw.protocol.dkg.DkgPart2Response;
import io.mpcw.protocol.dkg.DkgPart3Request;
import io.mpcw.protocol.dkg.DkgPart3Response;
import io.mpcw.protocol.dkg.DkgParticipant;
import io.mpcw.protocol.dkg.SignedEcho;
import io.mpcw.protocol.share.MemoryShareStore;
import io.mpcw.protocol.signing.Prevout;
import io.mpcw.protocol.signing.SignCommitRequest;
import io.mpcw.protocol.signing.SignCommitResponse;
import io.mpcw.protocol.signing.SignShareRequest;
import io.mpcw.protocol.signing.SignShareResponse;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.quic.QuicTransportClient;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.Decision;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VotePayload;
import io.mpcw.votes.VoteRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A 2-of-3 wallet made by DKG between one real node (node-3: Spring context, QUIC + mTLS, encrypted
 * share store, etcd) and two in-process participants, then signed by node-3 over QUIC. One real
 * node context rather than three keeps the class fast; the in-process peers run the same {@link
 * DkgParticipant} code, and everything node-3 does goes through its server.
 */
class DkgAndSigningOverQuicTest {

  private static final TestPki PKI = TestPki.inTemporaryDirectory();
  private static final FakeRegistry REGISTRY = FakeRegistry.start(0, PKI.ca());
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static final List<String> PARTICIPANTS = List.of("node-1", "node-2", "node-3");
  private static final Duration DEADLINE = Duration.ofSeconds(15);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Function<String, Optional<X509Certificate>> CERTIFICATES =
      id -> Optional.of(PKI.credentials(id).certificate());

  private static Map<String, String> properties;
  private static ConfigurableApplicationContext node;
  private static QuicTransportClient orchestrator;
  private static UUID walletId;
  private static final Map<String, DkgPart3Response> results = new LinkedHashMap<>();
  private static final MemoryShareStore node1Shares = new MemoryShareStore();

  @BeforeAll
  static void generateWallet() throws Exception {
    REGISTRY.register("node-1", PKI.credentials("node-1").certificate());
    REGISTRY.register("node-2", PKI.credentials("node-2").certificate());
    Path shares = Files.createDirectories(PKI.dir().resolve("shares"));
    properties =
        new HashMap<>(TestNode.baseProperties("node-3", PKI, ETCD, REGISTRY.url(), shares));
    properties.put("mpcw.node.shares.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    properties.put("mpcw.node.signing.min-approvals", "3");
    startNode();
    orchestrator =
        new QuicTransportClient(
            PKI.credentials("orchestrator"),
            PKI.ca(),
            TransportSettings.defaults(),
            new SimpleMeterRegistry(),
            Clock.systemUTC());
    runDkg();
  }

  @AfterAll
  static void stop() {
    orchestrator.close();
    node.close();
    REGISTRY.close();
    PKI.delete();
  }

  private static void startNode() throws InterruptedException {
    node = TestNode.start(properties);
    PeerCertificates peers = node.getBean(PeerCertificates.class);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while ((peers.apply("node-1").isEmpty() || peers.apply("node-2").isEmpty())
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static <T> T call(String type, Object request, Class<T> replyType) {
    byte[] reply =
        orchestrator
            .request(
                node.getBean(NodeQuicServer.class).endpoint().orElseThrow(),
                type,
                ProtocolMessages.encode(request),
                DEADLINE)
            .join()
            .getPayload()
            .toByteArray();
    return ProtocolMessages.decode(reply, replyType);
  }

  private static String refusal(String type, Object request) {
    try {
      call(type, request, Object.class);
      throw new AssertionError("expected a refusal");
    } catch (CompletionException e) {
      return ((TransportException) e.getCause()).remoteCode().orElseThrow();
    }
  }

  /** The orchestrator's part: part1 everywhere, relay packages, relay echoes and sealed shares. */
  private static void runDkg() {
    walletId = UUID.randomUUID();
    DkgPart1Request start = new DkgPart1Request(walletId, PARTICIPANTS, 2);
    Map<String, DkgParticipant> local =
        Map.of(
            "node-1", participant("node-1", node1Shares),
            "node-2", participant("node-2", new MemoryShareStore()));
    Map<String, String> round1 = new HashMap<>();
    for (String id : PARTICIPANTS) {
      DkgPart1Response response =
          id.equals("node-3")
              ? call(DkgPart1Request.TYPE, start, DkgPart1Response.class)
              : local.get(id).part1(start);
      round1.put(id, response.round1Package());
    }
    DkgPart2Request part2 = new DkgPart2Request(walletId, round1);
    Map<String, DkgPart2Response> round2 = new HashMap<>();
    for (String id : PARTICIPANTS) {
      round2.put(
          id,
          id.equals("node-3")
              ? call(DkgPart2Request.TYPE, part2, DkgPart2Response.class)
              : local.get(id).part2(part2));
    }
    Map<String, SignedEcho> echoes = new HashMap<>();
    round2.forEach((id, r) -> echoes.put(id, new SignedEcho(r.echo(), r.echoSignature())));
    for (String id : PARTICIPANTS) {
      Map<String, String> sealed = new HashMap<>();
      round2.forEach(
          (sender, r) -> {
            if (!sender.equals(id)) {
              sealed.put(sender, r.sealedShares().get(id));
            }
          });
      DkgPart3Request part3 = new DkgPart3Request(walletId, echoes, sealed);
      results.put(
          id,
          id.equals("node-3")
              ? call(DkgPart3Request.TYPE, part3, DkgPart3Response.class)
              : local.get(id).part3(part3));
    }
  }

  private static DkgParticipant participant(String id, MemoryShareStore store) {
    return new DkgParticipant(
        id,
        PKI.credentials(id),
        CERTIFICATES,
        store,
        RANDOM,
        Clock.systemUTC(),
        Duration.ofMinutes(2));
  }

  @Test
  void dkgGivesEveryParticipantTheSameGroupKeyAndNode3StoresItsShareEncrypted() {
    assertThat(results.values().stream().map(DkgPart3Response::outputKey).distinct()).hasSize(1);
    assertThat(results.values().stream().map(DkgPart3Response::publicKeyPackage).distinct())
        .hasSize(1);
    EncryptedShareStore store = node.getBean(EncryptedShareStore.class);
    assertThat(store.find(walletId)).isPresent();
    assertThat(store.directory().resolve(walletId + ".share")).exists();
  }

  @Test
  void approvedPaymentGetsASignatureShareThatVerifies() {
    Payment payment = payment();
    approve(payment, "node-1", "node-2", "node-3");

    SignatureShare share = sign(payment);

    Frost.taproot().verifyShare(share, payment.signingPackage, publicKeyPackage());
  }

  @Test
  void paymentWithoutApprovalsIsNotSigned() {
    Payment payment = payment();
    approve(payment, "node-1", "node-2");

    SignCommitResponse commit = commit(payment);

    assertThat(refusal(SignShareRequest.TYPE, payment.shareRequest(commit)))
        .isEqualTo(ProtocolErrors.NOT_APPROVED);
  }

  @Test
  void nodeRestartedBetweenRoundsHasForgottenTheNoncesButKeepsTheShare() throws Exception {
    Payment payment = payment();
    approve(payment, "node-1", "node-2", "node-3");
    SignCommitResponse commit = commit(payment);

    node.close();
    startNode();

    assertThat(refusal(SignShareRequest.TYPE, payment.shareRequest(commit)))
        .isEqualTo(ProtocolErrors.UNKNOWN_SESSION);
    assertThat(node.getBean(EncryptedShareStore.class).find(walletId)).isPresent();
    Payment retry = payment.retry();
    Frost.taproot().verifyShare(sign(retry), retry.signingPackage, publicKeyPackage());
  }

  private static PublicKeyPackage publicKeyPackage() {
    return PublicKeyPackage.decode(Hex.decode(results.get("node-3").publicKeyPackage()));
  }

  private SignatureShare sign(Payment payment) {
    SignShareResponse response =
        call(SignShareRequest.TYPE, payment.shareRequest(commit(payment)), SignShareResponse.class);
    assertThat(response.shares()).hasSize(1);
    return SignatureShare.decode(Hex.decode(response.shares().get(0)));
  }

  private SignCommitResponse commit(Payment payment) {
    return call(
        SignCommitRequest.TYPE,
        new SignCommitRequest(payment.sessionId, payment.txId, walletId, 1),
        SignCommitResponse.class);
  }

  private static void approve(Payment payment, String... nodes) {
    try (Client etcd = ETCD.client("root")) {
      EtcdVoteLedger ledger =
          new EtcdVoteLedger(
              etcd.getKVClient(),
              new EtcdKeys(ETCD.keyPrefix()),
              Duration.ofSeconds(2),
              Duration.ofSeconds(5));
      VotePayload voted =
          new VotePayload(payment.txId, walletId, payment.recipient, payment.amountSats);
      for (String id : nodes) {
        ledger.cast(
            new VoteSigner(PKI.node(id))
                .sign(
                    VoteRecord.unsigned(
                        payment.txId,
                        id,
                        Decision.APPROVE,
                        "within policy",
                        voted.digest(Decision.APPROVE),
                        Instant.now().truncatedTo(ChronoUnit.MILLIS))));
      }
    }
  }

  private static Payment payment() {
    return new Payment(UUID.randomUUID(), UUID.randomUUID());
  }

  /** One payment from the wallet: 30,000 sats out of a 100,000 sats UTXO, fee 1,000. */
  private static final class Payment {
    final UUID txId;
    final UUID sessionId;
    final long amountSats = 30_000;
    final String recipient;
    final Transaction unsigned;
    final TxOut prevout;
    final KeyPackage node1Key;
    final SigningCommitments node1Commitments;
    SigningPackage signingPackage;

    Payment(UUID txId, UUID sessionId) {
      this.txId = txId;
      this.sessionId = sessionId;
      byte[] walletScript =
          SegwitAddress.forTaprootOutputKey(
                  Network.REGTEST, Hex.decode(results.get("node-3").outputKey()))
              .scriptPubKey();
      // any valid x-only key will do as the recipient
      SegwitAddress to = SegwitAddress.forTaprootOutputKey(Network.REGTEST, Point.G.encodeXOnly());
      this.recipient = to.toString();
      this.prevout = new TxOut(100_000, walletScript);
      byte[] prevTxid = new byte[32];
      RANDOM.nextBytes(prevTxid);
      this.unsigned =
          Transaction.builder()
              .version(2)
              .addInput(new OutPoint(Txid.fromInternalBytes(prevTxid), 0))
              .addOutput(amountSats, to.scriptPubKey())
              .addOutput(69_000, walletScript)
              .build();
      this.node1Key = node1Shares.find(walletId).orElseThrow().keyPackage();
      this.node1Commitments = Frost.taproot().commit(node1Key, RANDOM).commitments();
    }

    Payment retry() {
      return new Payment(txId, UUID.randomUUID());
    }

    SignShareRequest shareRequest(SignCommitResponse node3) {
      byte[] message =
          new TaprootSighash(unsigned, List.of(prevout)).sigHash(0, SighashType.DEFAULT);
      signingPackage =
          new SigningPackage(
              message,
              List.of(
                  node1Commitments,
                  SigningCommitments.decode(Hex.decode(node3.commitments().get(0)))));
      return new SignShareRequest(
          sessionId,
          txId,
          walletId,
          recipient,
          amountSats,
          unsigned.toHex(),
          List.of(new Prevout(prevout.valueSats(), Hex.encode(prevout.scriptPubKey()))),
          Map.of(
              "node-1", List.of(Hex.encode(node1Commitments.encode())),
              "node-3", node3.commitments()));
    }
  }
}
