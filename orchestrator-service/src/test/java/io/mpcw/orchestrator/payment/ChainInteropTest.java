package io.mpcw.orchestrator.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.descriptor.DescriptorChecksum;
import io.mpcw.crypto.descriptor.TaprootDescriptor;
import io.mpcw.crypto.psbt.Psbt;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.taproot.TapTweak;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.broadcast.ReorgWatch;
import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.pipeline.PipelineEngine;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.WorkClaims;
import io.mpcw.orchestrator.pipeline.WorkSignals;
import io.mpcw.orchestrator.support.Api;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.support.TestNode;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What Bitcoin tools see of the wallet: its watch-only descriptor and each payment as a PSBT,
 * through the real pipeline (five QUIC nodes signing with FROST, PostgreSQL, etcd, the chain
 * simulator).
 */
class ChainInteropTest extends OrchestratorTestBase {
  private static final long COIN = 1_000_000;

  @Autowired List<StageHandler> handlers;
  @Autowired WorkClaims claims;
  @Autowired WorkSignals workSignals;
  @Autowired StateTransitions transitions;
  @Autowired TransactionTemplate database;
  @Autowired OrchestrationMetrics metrics;
  @Autowired ReorgWatch reorgWatch;

  private final List<TestNode> nodes = new ArrayList<>();
  private final List<PipelineEngine> engines = new ArrayList<>();

  private record TestWallet(UUID id, String address, byte[] groupKey, byte[] outputKey) {
    byte[] script() {
      return SegwitAddress.decode(address, Network.REGTEST).scriptPubKey();
    }

    byte[] internalKey() {
      return Arrays.copyOfRange(groupKey, 1, 33);
    }
  }

  @AfterEach
  void stopEverything() {
    engines.forEach(PipelineEngine::close);
    nodes.forEach(TestNode::close);
  }

  private void honestCluster() {
    for (int i = 1; i <= 5; i++) {
      TestNode node = new TestNode("node-" + i, CLUSTER, TestNode.Mode.HONEST);
      nodes.add(node);
      REGISTRY.quicAddress(i, node.start());
    }
  }

  private void engine(TransactionState... stages) {
    Set<TransactionState> wanted = Set.of(stages);
    Map<TransactionState, Duration> timeouts = new HashMap<>();
    for (TransactionState s :
        List.of(TransactionState.VOTING, TransactionState.APPROVED, TransactionState.SIGNING)) {
      if (wanted.contains(s)) {
        timeouts.put(s, Duration.ofSeconds(30));
      }
    }
    PipelineEngine engine =
        new PipelineEngine(
            "interop-it-" + engines.size(),
            handlers.stream().filter(h -> wanted.contains(h.stage())).toList(),
            new PipelineProperties(
                Duration.ofMillis(20),
                8,
                8,
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofMillis(50),
                timeouts,
                ""),
            claims,
            transitions,
            database,
            metrics,
            workSignals);
    engines.add(engine);
    engine.start();
  }

  private void engineUpToSigned() {
    engine(
        TransactionState.PENDING,
        TransactionState.VOTING,
        TransactionState.APPROVED,
        TransactionState.SIGNING);
  }

  private TestWallet wallet(long... coinValues) {
    JsonNode created =
        api.post(
                "/api/v1/wallets",
                SUBMIT_KEY,
                "{\"name\":\"interop-" + UUID.randomUUID().toString().substring(0, 8) + "\"}")
            .body();
    assertThat(created.get("status").asText()).as(created.toString()).isEqualTo("ready");
    String address = created.get("address").asText();
    CHAIN.fund(address, coinValues);
    return new TestWallet(
        UUID.fromString(created.get("id").asText()),
        address,
        Hex.decode(created.get("group_public_key").asText()),
        Hex.decode(created.get("output_key").asText()));
  }

  private String pay(TestWallet wallet, long amount) {
    JsonNode body =
        api.post(
                "/api/v1/transactions",
                SUBMIT_KEY,
                "{\"wallet_id\":\""
                    + wallet.id()
                    + "\",\"recipient\":\""
                    + ADDRESS
                    + "\",\"amount_sats\":"
                    + amount
                    + ",\"fee_rate_sat_vb\":2}")
            .body();
    assertThat(body.has("id")).as(body.toString()).isTrue();
    return body.get("id").asText();
  }

  private JsonNode get(String id) {
    return api.get("/api/v1/transactions/" + id, READ_KEY).body();
  }

  private JsonNode awaitState(String id, String state) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> get(id).get("state").asText(), s -> s.equals(state) || s.equals("failed"));
    JsonNode tx = get(id);
    assertThat(tx.get("state").asText()).as(tx.toString()).isEqualTo(state);
    return tx;
  }

  @Test
  void descriptorIsTheGroupKeyWithAValidChecksumAndDerivesTheWalletsAddress() {
    honestCluster();
    TestWallet wallet = wallet();

    Api.Response response = api.get("/api/v1/wallets/" + wallet.id() + "/descriptor", READ_KEY);

    assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
    String descriptor = response.body().get("descriptor").asText();
    assertThat(descriptor)
        .isEqualTo(
            "tr("
                + Hex.encode(wallet.internalKey())
                + ")#"
                + descriptor.substring(descriptor.length() - 8));
    assertThat(DescriptorChecksum.verify(descriptor)).isPresent();
    TaprootDescriptor parsed = TaprootDescriptor.parse(descriptor);
    assertThat(parsed.outputKey()).isEqualTo(wallet.outputKey());
    assertThat(parsed.address(Network.REGTEST)).isEqualTo(wallet.address());
    assertThat(response.body().get("address").asText()).isEqualTo(wallet.address());
  }

  @Test
  void descriptorOfAnUnknownWalletIsNotFoundProblemJson() {
    Api.Response response =
        api.get("/api/v1/wallets/" + UUID.randomUUID() + "/descriptor", READ_KEY);

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.body().get("type").asText()).isEqualTo("urn:mpcw:problem:not-found");
  }

  @Test
  void psbtOfAnUnknownTransactionIsNotFoundAndOfAnUnbuiltOneIsInvalidState() {
    honestCluster();
    TestWallet wallet = wallet(COIN);

    Api.Response unknown = api.get("/api/v1/transactions/" + UUID.randomUUID() + "/psbt", READ_KEY);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");

    String id = pay(wallet, 30_000); // no engine runs: it stays pending, nothing built
    Api.Response pending = api.get("/api/v1/transactions/" + id + "/psbt", READ_KEY);
    assertThat(pending.status()).isEqualTo(409);
    assertThat(pending.body().get("type").asText()).isEqualTo("urn:mpcw:problem:invalid-state");
    assertThat(pending.body().get("detail").asText()).contains("pending");

    Api.Response notUuid = api.get("/api/v1/transactions/not-a-uuid/psbt", READ_KEY);
    assertThat(notUuid.status()).isEqualTo(400);
    assertThat(notUuid.contentType()).startsWith("application/problem+json");
  }

  @Test
  void signedPaymentsPsbtCarriesTheTaprootFieldsAndFinalizesToTheBroadcastTransaction() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    engineUpToSigned();
    String id = pay(wallet, 42_000);
    JsonNode signedTx = awaitState(id, "signed");

    Api.Response response = api.get("/api/v1/transactions/" + id + "/psbt", READ_KEY);

    assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
    Psbt psbt = Psbt.parseBase64(response.body().get("psbt").asText());
    Transaction unsigned = psbt.unsignedTx().toTransaction();
    assertThat(unsigned.txid().toDisplayHex())
        .isEqualTo(signedTx.get("chain").get("txid").asText());
    // input: the coin it spends and the key behind it, enough for a tool to check the sighash
    TxOut spent = psbt.witnessUtxo(0).orElseThrow();
    assertThat(spent.valueSats()).isEqualTo(COIN);
    assertThat(spent.scriptPubKey()).isEqualTo(wallet.script());
    assertThat(psbt.tapInternalKey(0)).contains(wallet.internalKey());
    assertThat(psbt.tapMerkleRoot(0)).isEmpty();
    assertThat(TapTweak.outputKey(psbt.tapInternalKey(0).orElseThrow(), new byte[0]).xOnly())
        .isEqualTo(wallet.outputKey());
    byte[] signature = psbt.tapKeySig(0).orElseThrow();
    byte[] sighash = new TaprootSighash(unsigned, List.of(spent)).sigHash(0, SighashType.DEFAULT);
    assertThat(Bip340.verify(sighash, wallet.outputKey(), signature)).isTrue();
    // outputs: the payment has no wallet key, the change has it
    assertThat(psbt.outputTapInternalKey(0)).isEmpty();
    assertThat(unsigned.outputs().get(1).scriptPubKey()).isEqualTo(wallet.script());
    assertThat(psbt.outputTapInternalKey(1)).contains(wallet.internalKey());
    // finalizing (witness = the key signature) gives the very bytes that are broadcast
    assertThat(unsigned.withKeyPathSignatures(List.of(signature)).toHex())
        .isEqualTo(signedTx.get("chain").get("raw_tx").asText());
  }

  private void engineForEveryStage() {
    engine(
        TransactionState.PENDING,
        TransactionState.VOTING,
        TransactionState.APPROVED,
        TransactionState.SIGNING,
        TransactionState.SIGNED,
        TransactionState.BROADCASTING);
  }

  /** Mines a block whenever the payment waits in the mempool, until it is confirmed. */
  private JsonNode mineUntilConfirmed(String id) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              String state = get(id).get("state").asText();
              if (state.equals("broadcasting")
                  && CHAIN
                      .client()
                      .transaction(get(id).get("chain").get("txid").asText())
                      .isPresent()) {
                CHAIN.mine();
              }
              return state;
            },
            s -> s.equals("confirmed") || s.equals("failed"));
    return awaitState(id, "confirmed");
  }

  private List<String> moves(String id) {
    return jdbc.sql(
            "SELECT from_state || '→' || to_state || ': ' || reason FROM transaction_history"
                + " WHERE tx_id = ? AND from_state IS NOT NULL ORDER BY id")
        .param(UUID.fromString(id))
        .query(String.class)
        .list();
  }

  @Test
  void aPaymentWhoseBlockIsReorganisedAwayGoesBackToBroadcastingIsSentAgainAndConfirmsAnew() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    engineForEveryStage();
    String id = pay(wallet, 25_000);
    JsonNode first = mineUntilConfirmed(id).get("chain");
    String txid = first.get("txid").asText();
    String lostBlock = first.get("block_hash").asText();

    // the block goes, and the chain forgets the transaction (as a node whose mempool did not keep
    // it)
    CHAIN.rpc("invalidateblock", "[\"" + lostBlock + "\"]");
    CHAIN.dropMempool();

    awaitState(id, "broadcasting");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> CHAIN.client().transaction(txid).isPresent()); // sent again
    JsonNode again = mineUntilConfirmed(id).get("chain");

    assertThat(again.get("txid").asText()).isEqualTo(txid);
    assertThat(again.get("block_hash").asText()).isNotEqualTo(lostBlock);
    assertThat(CHAIN.client().transaction(txid).orElseThrow().confirmations()).isEqualTo(1);
    List<String> moves = moves(id);
    assertThat(moves).filteredOn(m -> m.startsWith("broadcasting→confirmed")).hasSize(2);
    assertThat(moves)
        .filteredOn(m -> m.startsWith("confirmed→broadcasting"))
        .singleElement()
        .satisfies(m -> assertThat(m).contains("reorg").contains(lostBlock));
    // the coin it spent stays spent by it: no other payment was offered it meanwhile
    assertThat(
            jdbc.sql("SELECT count(*) FROM utxos WHERE spent_by = ? AND reserved_by = ?")
                .params(UUID.fromString(id), UUID.fromString(id))
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void aConfirmedPaymentIsFollowedUntilSettledAndADeeperReorgNoLongerReopensIt() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    engineForEveryStage();
    String id = pay(wallet, 26_000);
    String block = mineUntilConfirmed(id).get("chain").get("block_hash").asText();

    for (int i = 0; i < 5; i++) {
      CHAIN.mine();
    }
    reorgWatch.watch();

    JsonNode settled = get(id);
    assertThat(settled.get("chain").get("confirmations").asInt()).isEqualTo(6);
    assertThat(
            jdbc.sql("SELECT settled_at IS NOT NULL FROM transactions WHERE id = ?")
                .param(UUID.fromString(id))
                .query(Boolean.class)
                .single())
        .isTrue();

    CHAIN.rpc("invalidateblock", "[\"" + block + "\"]");
    reorgWatch.watch();

    assertThat(get(id).get("state").asText()).isEqualTo("confirmed");
    assertThat(moves(id)).noneMatch(m -> m.startsWith("confirmed→broadcasting"));
    CHAIN.mine(); // the transaction, back in the mempool, confirms again for the tests after
  }
}
