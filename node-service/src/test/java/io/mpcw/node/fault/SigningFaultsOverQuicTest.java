package io.mpcw.node.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.Secp256k1Sha256Taproot;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.frost.TrustedDealer;
import io.mpcw.crypto.util.Hex;
import io.mpcw.node.TestNode;
import io.mpcw.node.identity.TestPki;
import io.mpcw.node.quic.NodeQuicServer;
import io.mpcw.node.registry.FakeRegistry;
import io.mpcw.node.share.EncryptedShareStore;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.dkg.DkgPart1Request;
import io.mpcw.protocol.share.WalletShare;
import io.mpcw.protocol.signing.Prevout;
import io.mpcw.protocol.signing.SignCommitRequest;
import io.mpcw.protocol.signing.SignCommitResponse;
import io.mpcw.protocol.signing.SignShareRequest;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.quic.QuicTransportClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The signing faults on a whole node over QUIC + mTLS, asked as the orchestrator asks: node-3 holds
 * a dealt 2-of-3 share, so round 1 is answered with real commitments when the fault lets it.
 */
class SigningFaultsOverQuicTest {

  private static final TestPki PKI = TestPki.inTemporaryDirectory();
  private static final FakeRegistry REGISTRY = FakeRegistry.start(0, PKI.ca());
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static final List<String> PARTICIPANTS = List.of("node-1", "node-2", "node-3");
  private static final Duration DEADLINE = Duration.ofSeconds(15);
  private static final SecureRandom RANDOM = new SecureRandom();

  private static QuicTransportClient orchestrator;
  private ConfigurableApplicationContext node;
  private UUID walletId;
  private TrustedDealer.DealtKeys keys;
  private final UUID txId = UUID.randomUUID();

  @BeforeAll
  static void client() {
    orchestrator =
        new QuicTransportClient(
            PKI.credentials("orchestrator"),
            PKI.ca(),
            TransportSettings.defaults(),
            new SimpleMeterRegistry(),
            Clock.systemUTC());
  }

  @AfterAll
  static void stopAll() {
    orchestrator.close();
    REGISTRY.close();
    PKI.delete();
  }

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void withholdingSignerAnswersRound1HonestlyAndNeverAnswersRound2() {
    start(Map.of("mpcw.node.byzantine", "withhold-share"));
    UUID session = UUID.randomUUID();

    SignCommitResponse commit = commit(session);
    assertThat(commit.commitments()).hasSize(1);

    CompletableFuture<Envelope> share =
        send(SignShareRequest.TYPE, shareRequest(session, commit), Duration.ofSeconds(3));
    assertThat(failureOf(share).kind()).isEqualTo(TransportException.Kind.TIMEOUT);
  }

  @Test
  void slowSignerAnswersEachSigningRoundOnlyAfterItsDelayAndAnswersOtherRequestsMeanwhile() {
    Duration delay = Duration.ofSeconds(4);
    start(Map.of("mpcw.node.byzantine", "slow-signer", "mpcw.node.slow-signer-delay", "4s"));
    UUID session = UUID.randomUUID();

    long sent = System.nanoTime();
    CompletableFuture<Envelope> commitReply =
        send(SignCommitRequest.TYPE, new SignCommitRequest(session, txId, walletId, 1));
    // not signing: served at once, while the commitment request is still held
    assertThat(remoteCodeOf(send(DkgPart1Request.TYPE, Map.of())))
        .isEqualTo(ProtocolErrors.MALFORMED_REQUEST);
    assertThat(commitReply).isNotDone();

    SignCommitResponse commit =
        ProtocolMessages.decode(
            commitReply.join().getPayload().toByteArray(), SignCommitResponse.class);
    assertThat(commit.commitments()).hasSize(1);
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(delay);

    long shareSent = System.nanoTime();
    // round 2 is answered too (refused here: nobody approved the payment), just as late
    assertThat(remoteCodeOf(send(SignShareRequest.TYPE, shareRequest(session, commit))))
        .isEqualTo(ProtocolErrors.NOT_APPROVED);
    assertThat(Duration.ofNanos(System.nanoTime() - shareSent)).isGreaterThanOrEqualTo(delay);
  }

  @Test
  void silentNodeAnswersNoSigningRound() {
    start(Map.of("mpcw.node.byzantine", "silent"));

    CompletableFuture<Envelope> commit =
        send(
            SignCommitRequest.TYPE,
            new SignCommitRequest(UUID.randomUUID(), UUID.randomUUID(), walletId, 1),
            Duration.ofSeconds(3));

    assertThat(failureOf(commit).kind()).isEqualTo(TransportException.Kind.TIMEOUT);
  }

  @Test
  void honestNodeAnswersBothRoundsAtOnce() {
    start(Map.of());
    UUID session = UUID.randomUUID();

    SignCommitResponse commit = commit(session);

    assertThat(commit.commitments()).hasSize(1);
    assertThat(remoteCodeOf(send(SignShareRequest.TYPE, shareRequest(session, commit))))
        .isEqualTo(ProtocolErrors.NOT_APPROVED);
  }

  @Test
  void nodeRefusesToStartAsAFaultySignerWithoutTheFaultInjectionProfile() {
    Map<String, String> properties = properties(Map.of("mpcw.node.byzantine", "withhold-share"));
    properties.remove("spring.profiles.active");

    assertThatThrownBy(() -> node = TestNode.start(properties))
        .rootCause()
        .hasMessageContaining("mpcw.node.byzantine=withhold-share")
        .hasMessageContaining("unless the Spring profile fault-injection is active");
  }

  private void start(Map<String, String> fault) {
    node = TestNode.start(properties(fault));
    walletId = UUID.randomUUID();
    keys = TrustedDealer.generate(Secp256k1Sha256Taproot.INSTANCE, 3, 2, RANDOM);
    node.getBean(EncryptedShareStore.class)
        .save(
            new WalletShare(
                walletId,
                "node-3",
                3,
                2,
                PARTICIPANTS,
                keys.keyPackages().get(Identifier.of(3)),
                keys.publicKeyPackage(),
                keys.publicKeyPackage().verifyingKey().encodeCompressed()));
  }

  private static Map<String, String> properties(Map<String, String> fault) {
    try {
      Path shares = Files.createTempDirectory(PKI.dir(), "shares");
      Map<String, String> properties =
          new HashMap<>(TestNode.baseProperties("node-3", PKI, ETCD, REGISTRY.url(), shares));
      properties.put("mpcw.node.shares.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
      properties.put("spring.profiles.active", FaultSwitch.PROFILE);
      properties.putAll(fault);
      return properties;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private SignCommitResponse commit(UUID session) {
    Envelope reply =
        send(SignCommitRequest.TYPE, new SignCommitRequest(session, txId, walletId, 1)).join();
    return ProtocolMessages.decode(reply.getPayload().toByteArray(), SignCommitResponse.class);
  }

  /** Round 2 for the session with node-1 as the co-signer: a payment nobody approved. */
  private SignShareRequest shareRequest(UUID session, SignCommitResponse commit) {
    SigningCommitments node1 =
        Frost.taproot().commit(keys.keyPackages().get(Identifier.of(1)), RANDOM).commitments();
    return new SignShareRequest(
        session,
        txId,
        walletId,
        "bcrt1qrecipient",
        30_000,
        "00",
        List.of(new Prevout(100_000, "5120" + "00".repeat(32))),
        Map.of("node-1", List.of(Hex.encode(node1.encode())), "node-3", commit.commitments()));
  }

  private CompletableFuture<Envelope> send(String type, Object request) {
    return send(type, request, DEADLINE);
  }

  private CompletableFuture<Envelope> send(String type, Object request, Duration deadline) {
    return orchestrator.request(
        node.getBean(NodeQuicServer.class).endpoint().orElseThrow(),
        type,
        ProtocolMessages.encode(request),
        deadline);
  }

  private static TransportException failureOf(CompletableFuture<Envelope> reply) {
    try {
      reply.join();
      throw new AssertionError("expected no answer");
    } catch (CompletionException e) {
      return (TransportException) e.getCause();
    }
  }

  private static String remoteCodeOf(CompletableFuture<Envelope> reply) {
    return failureOf(reply).remoteCode().orElseThrow();
  }
}
