package io.mpcw.orchestrator.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.support.Api;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.support.TestNode;
import io.mpcw.orchestrator.support.TestNode.Mode;
import io.mpcw.protocol.share.WalletShare;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The wallet API and the DKG behind it, against five QUIC nodes running the real DKG participant
 * with the cluster's certificates, on real PostgreSQL and etcd.
 */
class WalletApiTest extends OrchestratorTestBase {
  @Autowired Wallets wallets;
  @Autowired MeterRegistry meters;

  private final List<TestNode> running = new ArrayList<>();

  @AfterEach
  void stopNodes() {
    running.forEach(TestNode::close);
  }

  /** Starts node-1..5 with the given modes (null = not started) at the registry's addresses. */
  private List<TestNode> nodes(Mode... modes) {
    List<TestNode> started = new ArrayList<>();
    for (int i = 0; i < modes.length; i++) {
      if (modes[i] == null) {
        continue;
      }
      TestNode node = new TestNode("node-" + (i + 1), CLUSTER, modes[i]);
      running.add(node);
      started.add(node);
      REGISTRY.quicAddress(i + 1, node.start());
    }
    return started;
  }

  private List<TestNode> honestNodes() {
    return nodes(Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Api.Response create(String body) {
    return api.post("/api/v1/wallets", SUBMIT_KEY, body);
  }

  /**
   * The default wallet's key is made in the background among the same nodes; a test that breaks the
   * DKG waits for it first, so only its own wallet is affected.
   */
  private void awaitDefaultWalletReady() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> wallets.findDefault().map(Wallet::isReady).orElse(false));
  }

  @Test
  void createsAThreeOfFiveWalletWhoseAddressPaysTheOutputKeyEveryNodeAgreedOn() {
    honestNodes();
    String name = unique("treasury");

    Api.Response created = create("{\"name\":\"" + name + "\"}");

    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    JsonNode wallet = created.body();
    String id = wallet.get("id").asText();
    assertThat(created.headers().get("location")).containsExactly("/api/v1/wallets/" + id);
    assertThat(wallet.get("name").asText()).isEqualTo(name);
    assertThat(wallet.get("status").asText()).isEqualTo("ready");
    assertThat(wallet.get("threshold").asInt()).isEqualTo(3);
    assertThat(wallet.get("network").asText()).isEqualTo("regtest");
    assertThat(wallet.get("status_reason").isNull()).isTrue();
    assertThat(wallet.get("ready_at").isTextual()).isTrue();
    for (int i = 0; i < 5; i++) {
      assertThat(wallet.get("participants").get(i).get("node_id").asText())
          .isEqualTo("node-" + (i + 1));
      assertThat(wallet.get("participants").get(i).get("identifier").asInt()).isEqualTo(i + 1);
    }
    byte[] outputKey = Hex.decode(wallet.get("output_key").asText());
    assertThat(outputKey).hasSize(32);
    assertThat(Hex.decode(wallet.get("group_public_key").asText())).hasSize(33);
    SegwitAddress address = SegwitAddress.decode(wallet.get("address").asText(), Network.REGTEST);
    assertThat(address.isTaproot()).isTrue();
    assertThat(address.program()).isEqualTo(outputKey);

    UUID walletId = UUID.fromString(id);
    for (int i = 1; i <= 5; i++) {
      WalletShare share = TestNode.shareStore("node-" + i).find(walletId).orElseThrow();
      assertThat(share.identifier()).isEqualTo(i);
      assertThat(share.threshold()).isEqualTo(3);
    }
    Wallet stored = wallets.find(walletId).orElseThrow();
    assertThat(stored.publicKeyPackage().orElseThrow().verifyingKey().encodeXOnly())
        .isEqualTo(outputKey);
    assertThat(stored.scriptPubKey().orElseThrow()).isEqualTo(address.scriptPubKey());

    Api.Response read = api.get("/api/v1/wallets/" + id, READ_KEY);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body()).isEqualTo(wallet);
    Api.Response list = api.get("/api/v1/wallets", READ_KEY);
    assertThat(list.body().get("wallets").findValuesAsText("id")).contains(id);
    assertThat(meters.find("orchestration_dkg_total").tag("outcome", "ready").counter().count())
        .isPositive();
  }

  @Test
  void givesChosenParticipantsIdentifiersInRequestOrder() {
    honestNodes();

    Api.Response created =
        create(
            "{\"name\":\""
                + unique("pair")
                + "\",\"threshold\":2,\"participants\":[\"node-4\",\"node-2\",\"node-5\"]}");

    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    JsonNode participants = created.body().get("participants");
    assertThat(participants.findValuesAsText("node_id"))
        .containsExactly("node-4", "node-2", "node-5");
    assertThat(participants.findValues("identifier").stream().map(JsonNode::asInt))
        .containsExactly(1, 2, 3);
    UUID id = UUID.fromString(created.body().get("id").asText());
    assertThat(TestNode.shareStore("node-4").find(id).orElseThrow().identifier()).isEqualTo(1);
    assertThat(TestNode.shareStore("node-1").find(id)).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"threshold\":3}|name",
        "{\"name\":\"\"}|name",
        "{\"name\":\"two words\"}|name",
        "{\"name\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}|name",
        "{\"name\":\"w\",\"threshold\":1}|threshold",
        "{\"name\":\"w\",\"threshold\":\"three\"}|threshold",
        "{\"name\":\"w\",\"threshold\":4,\"participants\":[\"node-1\",\"node-2\",\"node-3\"]}"
            + "|threshold",
        "{\"name\":\"w\",\"participants\":[\"node-1\"]}|participants",
        "{\"name\":\"w\",\"participants\":[\"node-1\",\"node-2\",\"node-1\"]}|participants[2]",
        "{\"name\":\"w\",\"participants\":[\"node-1\",\"node-9\",\"node-3\"]}|participants[1]",
        "{\"name\":\"w\",\"colour\":\"red\"}|colour"
      })
  void refusesAnInvalidFieldNamingIt(String body, String field) {
    Api.Response refused = create(body);

    assertThat(refused.status()).as(refused.body().toString()).isEqualTo(400);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.body().get("type").asText()).isEqualTo("urn:mpcw:problem:validation");
    assertThat(refused.body().get("errors").findValuesAsText("field")).contains(field);
    assertThat(wallets.list().stream().filter(w -> w.name().equals("w"))).isEmpty();
  }

  @Test
  void refusesAParticipantTheRegistryDoesNotListAsActive() {
    REGISTRY.activeNodes(4);

    Api.Response refused =
        create(
            "{\"name\":\""
                + unique("w")
                + "\",\"participants\":[\"node-1\",\"node-2\",\"node-5\"]}");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("errors").get(0).get("field").asText())
        .isEqualTo("participants[2]");
    assertThat(refused.body().get("errors").get(0).get("message").asText()).contains("not active");
  }

  @Test
  void refusesATakenNameWithConflict() {
    honestNodes();
    String name = unique("twice");
    assertThat(create("{\"name\":\"" + name + "\"}").status()).isEqualTo(201);

    Api.Response again = create("{\"name\":\"" + name + "\"}");

    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().get("type").asText()).isEqualTo("urn:mpcw:problem:conflict");
  }

  @Test
  void failsTheWalletAsUnavailableWhenAParticipantDoesNotAnswer() {
    nodes(Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.SILENT);

    Api.Response failed = create("{\"name\":\"" + unique("silent") + "\"}");

    assertThat(failed.status()).as(failed.body().toString()).isEqualTo(503);
    assertThat(failed.body().get("retryable").asBoolean()).isTrue();
    assertThat(failed.body().get("detail").asText()).contains("node-5");
    JsonNode wallet =
        api.get("/api/v1/wallets/" + failed.body().get("wallet_id").asText(), READ_KEY).body();
    assertThat(wallet.get("status").asText()).isEqualTo("failed");
    assertThat(wallet.get("status_reason").asText()).contains("node-5");
    assertThat(wallet.get("address").isNull()).isTrue();
    // no key, so no descriptor: a watch-only wallet must not be handed one
    Api.Response descriptor =
        api.get(
            "/api/v1/wallets/" + failed.body().get("wallet_id").asText() + "/descriptor", READ_KEY);
    assertThat(descriptor.status()).isEqualTo(409);
    assertThat(descriptor.body().get("type").asText()).isEqualTo("urn:mpcw:problem:invalid-state");
  }

  @Test
  void failsTheWalletNamingTheNodeThatSealedACorruptShare() {
    List<TestNode> nodes = honestNodes();
    awaitDefaultWalletReady();
    nodes.get(2).mode(Mode.BAD_DKG_SHARE);

    Api.Response failed = create("{\"name\":\"" + unique("tampered") + "\"}");

    assertThat(failed.status()).as(failed.body().toString()).isEqualTo(502);
    assertThat(failed.body().get("type").asText()).isEqualTo("urn:mpcw:problem:dkg-failed");
    assertThat(failed.body().get("culprit").asText()).isEqualTo("node-3");
    JsonNode wallet =
        api.get("/api/v1/wallets/" + failed.body().get("wallet_id").asText(), READ_KEY).body();
    assertThat(wallet.get("status").asText()).isEqualTo("failed");
    assertThat(wallet.get("status_reason").asText()).contains("culprit node-3");
  }

  @Test
  void defaultWalletGetsItsKeyByItselfOnceEnoughNodesAreActive() {
    // a fresh default wallet, as on a new cluster (earlier tests may have made the key already)
    jdbc.sql(
            "UPDATE wallets SET is_default = false, name = name || '-before-' || left(id::text, 8)"
                + " WHERE is_default")
        .update();
    REGISTRY.activeNodes(2);
    Wallet fresh = wallets.ensureDefault("default", 3, "regtest");
    assertThat(fresh.isReady()).isFalse();

    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !wallets.find(fresh.id()).orElseThrow().isReady());
    assertThat(
            jdbc.sql("SELECT dkg_attempts FROM wallets WHERE id = ?")
                .param(fresh.id())
                .query(Integer.class)
                .single())
        .as("no DKG is attempted while too few nodes are active")
        .isZero();

    honestNodes();
    REGISTRY.activeNodes(5);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> wallets.find(fresh.id()).orElseThrow().isReady());

    Wallet ready = wallets.findDefault().orElseThrow();
    assertThat(ready.id()).isEqualTo(fresh.id());
    assertThat(ready.threshold()).isEqualTo(3);
    assertThat(ready.participants())
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 5).mapToObj(i -> "node-" + i).toList());
    assertThat(SegwitAddress.decode(ready.address().orElseThrow(), Network.REGTEST).program())
        .isEqualTo(ready.outputKey().orElseThrow());
    for (int i = 1; i <= 5; i++) {
      assertThat(TestNode.shareStore("node-" + i).find(ready.id())).isPresent();
    }
  }

  @Test
  void onlyASubmitKeyCreatesWallets() {
    Api.Response readOnly = api.post("/api/v1/wallets", READ_KEY, "{\"name\":\"x\"}");
    Api.Response anonymous = api.post("/api/v1/wallets", null, "{\"name\":\"x\"}");

    assertThat(readOnly.status()).isEqualTo(403);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(api.get("/api/v1/wallets", null).status()).isEqualTo(401);
    assertThat(api.get("/api/v1/wallets", READ_KEY).status()).isEqualTo(200);
  }

  @Test
  void answersNotFoundForAnUnknownWallet() {
    Api.Response missing = api.get("/api/v1/wallets/" + UUID.randomUUID(), READ_KEY);

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body().get("type").asText()).isEqualTo("urn:mpcw:problem:not-found");
  }
}
