package io.mpcw.orchestrator.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.chain.ChainTip;
import io.mpcw.chain.Utxo;
import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.descriptor.DescriptorChecksum;
import io.mpcw.crypto.descriptor.TaprootDescriptor;
import io.mpcw.crypto.psbt.Psbt;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.taproot.TapTweak;
import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.broadcast.ReorgWatch;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.pipeline.PipelineEngine;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.WorkClaims;
import io.mpcw.orchestrator.support.Api;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.support.TestEngines;
import io.mpcw.orchestrator.support.TestNode;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.WorkSignals;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
  @Autowired ChainFollower follower;
  @Autowired Coins coins;

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
    engines.add(
        new TestEngines(handlers, claims, transitions, database, metrics, workSignals)
            .start(
                "interop-it-" + engines.size(),
                Map.of(
                    TransactionState.VOTING, Duration.ofSeconds(30),
                    TransactionState.APPROVED, Duration.ofSeconds(30),
                    TransactionState.SIGNING, Duration.ofSeconds(30)),
                stages));
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
    assertThat(CHAIN.client().transaction(txid).orElseThrow().confirmations()).isPositive();
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
  void aConfirmedPaymentWhoseBlockTheFollowerRecordedDeepensAndSettlesWithTheFollowedBlocks() {
    String id = confirmedPayment(27_000);
    String block = get(id).get("chain").get("block_hash").asText();
    // the follower read the block while the payment was broadcasting (that is what woke it)
    assertThat(
            jdbc.sql("SELECT included_block FROM transactions WHERE id = ?")
                .param(UUID.fromString(id))
                .query(String.class)
                .single())
        .isEqualTo(block);

    long written = rowVersion(UUID.fromString(id));
    mineAndFollow(2); // no reorg watch look: it leaves such payments to the follower

    assertThat(settled(id)).isFalse();
    assertThat(rowVersion(UUID.fromString(id)))
        .as("not written while it deepens")
        .isEqualTo(written);
    int shown = get(id).get("chain").get("confirmations").asInt();
    assertThat(shown).as("read against the followed tip").isGreaterThanOrEqualTo(3);

    mineAndFollow(3);

    assertThat(settled(id)).isTrue();
    assertThat(get(id).get("chain").get("confirmations").asInt())
        .isGreaterThanOrEqualTo(6)
        .isGreaterThanOrEqualTo(shown);
  }

  @Test
  void followingTheBlocksNeverLowersTheDepthTheStageSawAndStillSettles() {
    String id = confirmedPayment(28_000);
    // as if the confirmation stage had asked the chain while the follower was behind it
    jdbc.sql("UPDATE transactions SET confirmations = 9 WHERE id = ?")
        .param(UUID.fromString(id))
        .update();

    mineFiveBlocksAndFollow();

    assertThat(settled(id)).isTrue();
    assertThat(get(id).get("chain").get("confirmations").asInt()).isEqualTo(9);
  }

  private String confirmedPayment(long sats) {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    engineForEveryStage();
    String id = pay(wallet, sats);
    mineUntilConfirmed(id);
    return id;
  }

  private void mineFiveBlocksAndFollow() {
    mineAndFollow(5);
  }

  private void mineAndFollow(int blocks) {
    for (int i = 0; i < blocks; i++) {
      CHAIN.mine();
    }
    follower.follow();
  }

  private boolean settled(String id) {
    return jdbc.sql("SELECT settled_at IS NOT NULL FROM transactions WHERE id = ?")
        .param(UUID.fromString(id))
        .query(Boolean.class)
        .single();
  }

  @Test
  void aConfirmedPaymentIsFollowedUntilSettledAndADeeperReorgNoLongerReopensIt() {
    String id = confirmedPayment(26_000);
    String block = get(id).get("chain").get("block_hash").asText();

    mineFiveBlocksAndFollow(); // the follower recorded its block: it deepens with them
    reorgWatch.watch();

    assertThat(get(id).get("chain").get("confirmations").asInt()).isGreaterThanOrEqualTo(6);
    assertThat(settled(id)).isTrue();

    CHAIN.rpc("invalidateblock", "[\"" + block + "\"]");
    reorgWatch.watch();

    assertThat(get(id).get("state").asText()).isEqualTo("confirmed");
    assertThat(moves(id)).noneMatch(m -> m.startsWith("confirmed→broadcasting"));
    CHAIN.mine(); // the transaction, back in the mempool, confirms again for the tests after
  }

  private static final byte[] RECIPIENT =
      SegwitAddress.decode(ADDRESS, Network.REGTEST).scriptPubKey();

  private Utxo onlyCoin(TestWallet wallet) {
    List<Utxo> coins = CHAIN.client().unspent(wallet.address());
    assertThat(coins).hasSize(1);
    return coins.get(0);
  }

  /** A PSBT as another tool would make it: the wallet's coin in, the given outputs out. */
  private static Psbt psbtSpending(TestWallet wallet, Utxo coin, TxOut... outputs) {
    Transaction.Builder builder =
        Transaction.builder()
            .version(2)
            .lockTime(0)
            .addInput(OutPoint.of(coin.txid(), coin.vout()));
    for (TxOut output : outputs) {
      builder.addOutput(output);
    }
    return Psbt.create(builder.build())
        .withWitnessUtxo(0, new TxOut(coin.valueSats(), Hex.decode(coin.scriptPubKeyHex())))
        .withTapInternalKey(0, wallet.internalKey());
  }

  private Api.Response submit(TestWallet wallet, String psbtBase64) {
    return api.post(
        "/api/v1/transactions",
        SUBMIT_KEY,
        "{\"wallet_id\":\"" + wallet.id() + "\",\"psbt\":\"" + psbtBase64 + "\"}");
  }

  @Test
  void aPsbtBuiltElsewhereIsVotedSignedAndConfirmedAsExactlyThatTransaction() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    Utxo coin = onlyCoin(wallet);
    Psbt psbt =
        psbtSpending(
            wallet,
            coin,
            new TxOut(40_000, RECIPIENT),
            new TxOut(COIN - 40_000 - 500, wallet.script()));
    Transaction built = psbt.unsignedTx().toTransaction();

    Api.Response created = submit(wallet, psbt.toBase64());

    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    assertThat(created.body().get("recipient").asText()).isEqualTo(ADDRESS);
    assertThat(created.body().get("amount_sats").asLong()).isEqualTo(40_000);
    engineForEveryStage();
    JsonNode confirmed = mineUntilConfirmed(id);

    JsonNode chain = confirmed.get("chain");
    assertThat(chain.get("txid").asText()).isEqualTo(built.txid().toDisplayHex());
    assertThat(chain.get("fee_sats").asLong()).isEqualTo(500);
    assertThat(confirmed.get("voting").get("approvals").asInt()).isGreaterThanOrEqualTo(4);
    Transaction signed = Transaction.parseHex(chain.get("raw_tx").asText());
    assertThat(signed.withoutWitnesses()).isEqualTo(built);
    byte[] sighash =
        new TaprootSighash(built, List.of(psbt.witnessUtxo(0).orElseThrow()))
            .sigHash(0, SighashType.DEFAULT);
    assertThat(Bip340.verify(sighash, wallet.outputKey(), signed.witness(0).item(0))).isTrue();
    // and the PSBT comes back signed, for the tool that made it
    Psbt back =
        Psbt.parseBase64(
            api.get("/api/v1/transactions/" + id + "/psbt", READ_KEY).body().get("psbt").asText());
    assertThat(back.tapKeySig(0)).contains(signed.witness(0).item(0));
  }

  /** Each refusal names the field at fault, before anything is stored or voted on. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "not-base64",
        "not-a-psbt",
        "with-recipient",
        "with-amount",
        "with-fee-rate",
        "no-witness-utxo",
        "someone-elses-coin",
        "other-internal-key",
        "two-payments",
        "only-change",
        "two-change-outputs",
        "outputs-above-inputs",
        "finalized-input",
        "blank",
        "duplicate-input",
        "script-tree",
        "version-3",
        "no-inputs",
        "p2pkh-recipient",
        "dust-payment",
        "no-fee"
      })
  void aPsbtTheNodesCouldNotCheckIsRefusedNamingTheField(String problem) {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    Utxo coin = onlyCoin(wallet);
    TxOut pay = new TxOut(40_000, RECIPIENT);
    TxOut change = new TxOut(COIN - 41_000, wallet.script());
    Psbt good = psbtSpending(wallet, coin, pay, change);
    String field = "psbt";
    String body =
        switch (problem) {
          case "not-base64" -> psbtBody(wallet, "@@@@");
          case "not-a-psbt" -> psbtBody(wallet, "AgAAAAA=");
          case "with-recipient" -> {
            field = "recipient";
            yield psbtBody(wallet, good.toBase64())
                .replace("}", ",\"recipient\":\"" + ADDRESS + "\"}");
          }
          case "with-amount" -> {
            field = "amount_sats";
            yield psbtBody(wallet, good.toBase64()).replace("}", ",\"amount_sats\":40000}");
          }
          case "with-fee-rate" -> {
            field = "fee_rate_sat_vb";
            yield psbtBody(wallet, good.toBase64()).replace("}", ",\"fee_rate_sat_vb\":2}");
          }
          case "no-witness-utxo" ->
              psbtBody(
                  wallet,
                  Psbt.create(good.unsignedTx().toTransaction())
                      .withTapInternalKey(0, wallet.internalKey())
                      .toBase64());
          case "someone-elses-coin" ->
              psbtBody(
                  wallet,
                  good.withWitnessUtxo(0, new TxOut(coin.valueSats(), RECIPIENT)).toBase64());
          case "other-internal-key" ->
              psbtBody(
                  wallet,
                  good.withTapInternalKey(0, Arrays.copyOfRange(RECIPIENT, 2, 34)).toBase64());
          case "two-payments" ->
              psbtBody(
                  wallet,
                  psbtSpending(
                          wallet,
                          coin,
                          pay,
                          new TxOut(50_000, Hex.decode("0014" + "11".repeat(20))),
                          new TxOut(COIN - 100_000, wallet.script()))
                      .toBase64());
          case "only-change" -> psbtBody(wallet, psbtSpending(wallet, coin, change).toBase64());
          case "two-change-outputs" ->
              psbtBody(wallet, psbtSpending(wallet, coin, pay, change, change).toBase64());
          case "outputs-above-inputs" ->
              psbtBody(
                  wallet,
                  psbtSpending(wallet, coin, pay, new TxOut(COIN, wallet.script())).toBase64());
          case "finalized-input" ->
              psbtBody(
                  wallet,
                  good.withInputEntry(0, new byte[] {0x08}, Hex.decode("0140" + "00".repeat(64)))
                      .toBase64());
          case "blank" -> psbtBody(wallet, "");
          case "duplicate-input" -> {
            Transaction twice =
                Transaction.builder()
                    .addInput(OutPoint.of(coin.txid(), coin.vout()))
                    .addInput(OutPoint.of(coin.txid(), coin.vout()))
                    .addOutput(pay)
                    .build();
            TxOut spent = good.witnessUtxo(0).orElseThrow();
            yield psbtBody(
                wallet,
                Psbt.create(twice).withWitnessUtxo(0, spent).withWitnessUtxo(1, spent).toBase64());
          }
          case "script-tree" ->
              psbtBody(wallet, good.withTapMerkleRoot(0, new byte[32]).toBase64());
          case "version-3" -> {
            Transaction v3 =
                Transaction.builder()
                    .version(3)
                    .addInput(OutPoint.of(coin.txid(), coin.vout()))
                    .addOutput(pay)
                    .build();
            yield psbtBody(
                wallet,
                Psbt.create(v3).withWitnessUtxo(0, good.witnessUtxo(0).orElseThrow()).toBase64());
          }
          case "no-inputs" ->
              // magic, the unsigned tx (version 2, no input, one output, lock time 0), one output
              // map
              psbtBody(
                  wallet,
                  java.util.Base64.getEncoder()
                      .encodeToString(
                          Hex.decode(
                              "70736274ff01000e"
                                  + "02000000"
                                  + "00"
                                  + "01"
                                  + "1027000000000000"
                                  + "00"
                                  + "00000000"
                                  + "00"
                                  + "00")));
          case "p2pkh-recipient" ->
              psbtBody(
                  wallet,
                  psbtSpending(
                          wallet,
                          coin,
                          new TxOut(40_000, Hex.decode("76a914" + "22".repeat(20) + "88ac")),
                          change)
                      .toBase64());
          case "dust-payment" ->
              psbtBody(
                  wallet,
                  psbtSpending(
                          wallet,
                          coin,
                          new TxOut(545, RECIPIENT),
                          new TxOut(COIN - 1_545, wallet.script()))
                      .toBase64());
          case "no-fee" ->
              psbtBody(
                  wallet,
                  psbtSpending(wallet, coin, pay, new TxOut(COIN - 40_000, wallet.script()))
                      .toBase64());
          default -> throw new IllegalArgumentException(problem);
        };

    Api.Response refused = api.post("/api/v1/transactions", SUBMIT_KEY, body);

    assertThat(refused.status()).as(refused.body().toString()).isEqualTo(400);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.body().get("type").asText()).isEqualTo("urn:mpcw:problem:validation");
    assertThat(refused.body().get("errors").get(0).get("field").asText()).isEqualTo(field);
    assertThat(count("transactions")).isZero();
  }

  private static String psbtBody(TestWallet wallet, String base64) {
    return "{\"wallet_id\":\"" + wallet.id() + "\",\"psbt\":\"" + base64 + "\"}";
  }

  @Test
  void nodesRefuseToSignAPsbtWhoseFeeIsAboveTheirLimit() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    // 200 000 sats of fee: above the nodes' 100 000-sat limit
    Psbt psbt =
        psbtSpending(
            wallet,
            onlyCoin(wallet),
            new TxOut(40_000, RECIPIENT),
            new TxOut(COIN - 240_000, wallet.script()));
    String id = submit(wallet, psbt.toBase64()).body().get("id").asText();
    engineForEveryStage();

    JsonNode tx = awaitState(id, "failed");

    assertThat(tx.get("state_reason").asText()).contains("FEE_TOO_HIGH");
    assertThat(tx.get("signing").get("attempts_detail").get(0).get("outcome").asText())
        .isEqualTo("refused");
    assertThat(tx.get("chain").get("raw_tx").isNull()).as("never signed").isTrue();
  }

  @Test
  void nodesVoteAgainstAPsbtPayingAboveTheirLimitAndSayWhy() {
    honestCluster();
    TestWallet wallet = wallet(150_000_000);
    Psbt psbt =
        psbtSpending(
            wallet,
            onlyCoin(wallet),
            new TxOut(140_000_000, RECIPIENT),
            new TxOut(150_000_000 - 140_000_000 - 500, wallet.script()));
    String id = submit(wallet, psbt.toBase64()).body().get("id").asText();
    engineForEveryStage();

    JsonNode tx = awaitState(id, "rejected");

    JsonNode votes = tx.get("voting").get("votes");
    assertThat(votes.size()).isGreaterThanOrEqualTo(2);
    votes.forEach(
        v -> {
          assertThat(v.get("decision").asText()).isEqualTo("reject");
          assertThat(v.get("reason").asText()).contains("amount above this node's limit");
        });
  }

  @Test
  void aPsbtSpendingACoinTheWalletDoesNotHoldFreeFailsBeforeSigning() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    Utxo coin = onlyCoin(wallet);
    // the same script and amount, at an outpoint that is not the wallet's coin
    Utxo invented =
        new Utxo("ab".repeat(32), 0, coin.valueSats(), coin.scriptPubKeyHex(), coin.height());
    Psbt psbt =
        psbtSpending(
            wallet,
            invented,
            new TxOut(40_000, RECIPIENT),
            new TxOut(COIN - 40_500, wallet.script()));
    String id = submit(wallet, psbt.toBase64()).body().get("id").asText();
    engineForEveryStage();

    JsonNode tx = awaitState(id, "failed");

    assertThat(tx.get("state_reason").asText())
        .contains("not a confirmed, free coin of this wallet")
        .contains("ab".repeat(32));
    assertThat(tx.get("chain").get("raw_tx").isNull()).isTrue();
  }

  @Test
  void aPsbtClaimingAnotherAmountThanTheWalletsCoinHoldsFailsBeforeSigning() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    Utxo coin = onlyCoin(wallet);
    // the right coin, but the PSBT says it holds more than it does (a fee the signer cannot see)
    Utxo inflated =
        new Utxo(coin.txid(), coin.vout(), COIN * 2, coin.scriptPubKeyHex(), coin.height());
    Psbt psbt =
        psbtSpending(
            wallet,
            inflated,
            new TxOut(40_000, RECIPIENT),
            new TxOut(COIN - 40_500, wallet.script()));
    String id = submit(wallet, psbt.toBase64()).body().get("id").asText();
    engineForEveryStage();

    JsonNode tx = awaitState(id, "failed");

    assertThat(tx.get("state_reason").asText())
        .contains("claims " + (COIN * 2) + " sats")
        .contains("holds " + COIN);
    assertThat(
            jdbc.sql("SELECT count(*) FROM utxos WHERE reserved_by = ?")
                .param(UUID.fromString(id))
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void coinsPaidAfterAReorgThatShortenedTheChainAreFoundAtOnce() {
    honestCluster();
    for (int i = 0; i < 3; i++) {
      CHAIN.mine();
    }
    follower.follow();
    String third =
        CHAIN
            .rpc("getblockhash", "[" + (CHAIN.client().blockHeight() - 2) + "]")
            .replaceAll(".*\"result\":\"([0-9a-f]{64})\".*", "$1");
    CHAIN.rpc("invalidateblock", "[\"" + third + "\"]"); // the tip is now 3 below the follower's

    TestWallet wallet = wallet(COIN); // funded in one new block: still below the recorded height
    follower.follow();
    follower.follow();

    assertThat(follower.caughtUp()).isTrue();
    assertThat(coins.free(wallet.id())).hasSize(1);
  }

  @Test
  void aRecordedBlockReplacedAtTheSameHeightIsNoticedAndTheNewBlocksCoinsFound() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    follower.follow();
    assertThat(coins.free(wallet.id())).extracting(Coin::valueSats).containsExactly(COIN);
    // the follower's own schedule waits on its monitor: only the calls below see the chain
    assertThat(follower.getClass()).isEqualTo(ChainFollower.class);
    synchronized (follower) {
      String funded = follower.recordedTip().orElseThrow().blockHash();
      CHAIN.rpc("invalidateblock", "[\"" + funded + "\"]");
      CHAIN.dropMempool(); // the first coin's payment is gone with its block
      CHAIN.fund(wallet.address(), 2 * COIN); // one block, at the height of the one removed

      assertThat(follower.caughtUp()).as("the recorded block is no longer the chain's").isFalse();
      follower.follow();

      assertThat(follower.recordedTip().orElseThrow().blockHash()).isNotEqualTo(funded);
      assertThat(follower.caughtUp()).isTrue();
      assertThat(coins.free(wallet.id())).extracting(Coin::valueSats).containsExactly(2 * COIN);
    }
  }

  @Test
  void aRescanThatReadAnOlderCursorThanTheRecordedOneChangesNothing() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    CHAIN.mine();
    follower.follow();
    ChainFollower.Cursor recorded = follower.recordedTip().orElseThrow();
    ChainFollower.Cursor older =
        new ChainFollower.Cursor(
            recorded.height() - 1,
            CHAIN
                .rpc("getblockhash", "[" + (recorded.height() - 1) + "]")
                .replaceAll(".*\"result\":\"([0-9a-f]{64})\".*", "$1"));

    // what a replica (or call) that read the cursor one block ago and saw a reorganisation does
    follower.startAt(Optional.of(older), new ChainTip(older.height(), older.blockHash()));

    assertThat(follower.recordedTip()).contains(recorded);
    assertThat(coins.free(wallet.id())).hasSize(1);
  }

  @Test
  void aPsbtWhoseFeeRateIsAboveTheApisBoundIsRefusedNamingThePsbt() {
    honestCluster();
    TestWallet wallet = wallet(5 * COIN);
    // 4 900 000 sats of fee over about 111 vB: above 10 000 sat/vB
    Psbt psbt = psbtSpending(wallet, onlyCoin(wallet), new TxOut(100_000, RECIPIENT));

    Api.Response refused = submit(wallet, psbt.toBase64());

    assertThat(refused.status()).as(refused.body().toString()).isEqualTo(400);
    assertThat(refused.body().get("errors").get(0).get("field").asText()).isEqualTo("psbt");
    assertThat(refused.body().get("errors").get(0).get("message").asText())
        .contains("above the bound of 10000");
  }
}
