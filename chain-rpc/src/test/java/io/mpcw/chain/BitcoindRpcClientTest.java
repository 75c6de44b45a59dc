package io.mpcw.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Transaction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a stub HTTP server answering canned bitcoind bodies: envelope, auth and the
 * mapping of every error shape. The simulator module runs it against a real ledger.
 */
class BitcoindRpcClientTest {
  private static final String TXID = "aa".repeat(32);

  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;

  record Recorded(String path, String authorization, String raw, JsonNode body) {}

  record Canned(int status, String body) {}

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private BitcoindRpcClient client(Function<JsonNode, Canned> answer) throws IOException {
    return BitcoindRpcClient.create(config(answer));
  }

  private ChainClientConfig config(Function<JsonNode, Canned> answer) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          JsonNode body = JsonRpcHttp.JSON.readTree(raw);
          requests.add(
              new Recorded(
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  raw,
                  body));
          Canned canned = answer.apply(body);
          byte[] bytes = canned.body().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(canned.status(), bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return ChainClientConfig.of(
        "http://127.0.0.1:" + server.getAddress().getPort(), "alice", "secret");
  }

  private static Canned ok(String resultJson) {
    return new Canned(200, "{\"result\":" + resultJson + ",\"error\":null,\"id\":1}");
  }

  private static Canned error(int status, int code, String message) {
    return new Canned(
        status,
        "{\"result\":null,\"error\":{\"code\":"
            + code
            + ",\"message\":\""
            + message
            + "\"},\"id\":1}");
  }

  @Test
  void sendsJsonRpc10EnvelopeWithBasicAuth() throws IOException {
    BitcoindRpcClient client = client(body -> ok("101"));

    assertThat(client.blockHeight()).isEqualTo(101);

    Recorded request = requests.get(0);
    assertThat(request.authorization()).isEqualTo("Basic YWxpY2U6c2VjcmV0");
    assertThat(request.body().path("jsonrpc").asText()).isEqualTo("1.0");
    assertThat(request.body().path("method").asText()).isEqualTo("getblockcount");
    assertThat(request.body().path("params").isArray()).isTrue();
    assertThat(request.body().has("id")).isTrue();
  }

  @Test
  void parsesScanTxOutSetAmountsExactly() throws IOException {
    BitcoindRpcClient client =
        client(
            body ->
                ok(
                    "{\"success\":true,\"unspents\":[{\"txid\":\""
                        + TXID
                        + "\",\"vout\":1,\"scriptPubKey\":\"5120"
                        + "00".repeat(32)
                        + "\",\"amount\":0.29000000,\"height\":7}]}"));

    List<Utxo> utxos = client.unspent("bcrt1paddress");

    assertThat(utxos).containsExactly(new Utxo(TXID, 1, 29_000_000L, "5120" + "00".repeat(32), 7));
    JsonNode params = requests.get(0).body().path("params");
    assertThat(params.get(0).asText()).isEqualTo("start");
    assertThat(params.get(1).get(0).asText()).isEqualTo("addr(bcrt1paddress)");
  }

  @Test
  void readsABlocksSpendsAndOutputsSkippingTheCoinbaseInput() throws IOException {
    String hash = "bb".repeat(32);
    String previous = "cc".repeat(32);
    BitcoindRpcClient client =
        client(
            body ->
                body.path("method").asText().equals("getblockhash")
                    ? ok("\"" + hash + "\"")
                    : ok(
                        "{\"hash\":\""
                            + hash
                            + "\",\"height\":8,\"previousblockhash\":\""
                            + previous
                            + "\",\"tx\":[{\"txid\":\""
                            + "dd".repeat(32)
                            + "\",\"vin\":[{\"coinbase\":\"0108\"}],\"vout\":[{\"value\":50.0,"
                            + "\"n\":0,\"scriptPubKey\":{\"hex\":\"51\"}}]},{\"txid\":\""
                            + TXID
                            + "\",\"vin\":[{\"txid\":\""
                            + "ee".repeat(32)
                            + "\",\"vout\":3}],\"vout\":[{\"value\":0.00042000,\"n\":0,"
                            + "\"scriptPubKey\":{\"hex\":\"5120"
                            + "00".repeat(32)
                            + "\"}}]}]}"));

    ChainBlock block = client.block(8);

    assertThat(block.hash()).isEqualTo(hash);
    assertThat(block.previousHash()).contains(previous);
    assertThat(block.transactions()).hasSize(2);
    assertThat(block.transactions().get(0).spends()).isEmpty();
    ChainBlock.Tx payment = block.transactions().get(1);
    assertThat(payment.spends()).containsExactly("ee".repeat(32) + ":3");
    assertThat(payment.outputs())
        .containsExactly(new ChainBlock.Output(0, 42_000, "5120" + "00".repeat(32)));
    assertThat(requests.get(0).body().path("params").get(0).asLong()).isEqualTo(8);
    assertThat(requests.get(1).body().path("params").get(0).asText()).isEqualTo(hash);
    assertThat(requests.get(1).body().path("params").get(1).asInt()).isEqualTo(2);
  }

  @Test
  void readsTheTipsHeightAndHashFromOneRequest() throws IOException {
    String hash = "ab".repeat(32);
    BitcoindRpcClient client =
        client(
            body ->
                ok("{\"chain\":\"regtest\",\"blocks\":812,\"bestblockhash\":\"" + hash + "\"}"));

    assertThat(client.tip()).isEqualTo(new ChainTip(812, hash));
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).body().path("method").asText()).isEqualTo("getblockchaininfo");
  }

  @Test
  void aTipAnswerWithoutTheBestBlockHashIsUnavailable() throws IOException {
    BitcoindRpcClient client = client(body -> ok("{\"chain\":\"regtest\",\"blocks\":812}"));

    assertThatThrownBy(client::tip)
        .isInstanceOf(ChainUnavailableException.class)
        .hasMessageContaining("getblockchaininfo");
  }

  @Test
  void broadcastOfAKnownTransactionReturnsTheLocallyComputedTxid() throws IOException {
    Transaction tx =
        Transaction.builder()
            .addInput(OutPoint.of(TXID, 0))
            .addOutput(1000, new byte[] {0x51})
            .build();
    BitcoindRpcClient client =
        client(body -> error(500, -27, "Transaction already in block chain"));

    assertThat(client.broadcast(tx.toHex())).isEqualTo(tx.txid().toDisplayHex());
  }

  @Test
  void broadcastRefusalCarriesBitcoindCodeAndMessage() throws IOException {
    BitcoindRpcClient client = client(body -> error(500, -26, "txn-mempool-conflict"));

    assertThatThrownBy(() -> client.broadcast("00"))
        .isInstanceOfSatisfying(
            ChainRejectedException.class, e -> assertThat(e.code()).isEqualTo(-26))
        .hasMessageContaining("txn-mempool-conflict");
  }

  @Test
  void unknownTransactionIsEmpty() throws IOException {
    BitcoindRpcClient client =
        client(body -> error(500, -5, "No such mempool or blockchain transaction"));

    assertThat(client.transaction(TXID)).isEmpty();
  }

  @Test
  void mempoolTransactionHasZeroConfirmationsAndNoBlock() throws IOException {
    BitcoindRpcClient client = client(body -> ok("{\"txid\":\"" + TXID + "\",\"hex\":\"00\"}"));

    assertThat(client.transaction(TXID))
        .contains(new TxStatus(TXID, "00", 0, java.util.Optional.empty()));
    assertThat(requests.get(0).body().path("params").get(1).asBoolean()).isTrue();
  }

  @Test
  void confirmedTransactionHasConfirmationsAndBlockHash() throws IOException {
    String block = "bb".repeat(32);
    BitcoindRpcClient client =
        client(
            body ->
                ok(
                    "{\"txid\":\""
                        + TXID
                        + "\",\"hex\":\"00\",\"confirmations\":3,\"blockhash\":\""
                        + block
                        + "\"}"));

    assertThat(client.transaction(TXID))
        .contains(new TxStatus(TXID, "00", 3, java.util.Optional.of(block)));
  }

  @Test
  void sendToAddressUsesTheWalletPathAndEightDecimalPlaces() throws IOException {
    ChainClientConfig config = config(body -> ok("\"" + TXID + "\"")).withWallet("faucet");
    BitcoindRpcClient client = BitcoindRpcClient.create(config);

    assertThat(client.sendToAddress("bcrt1paddress", 29_000_000L)).isEqualTo(TXID);

    Recorded request = requests.get(0);
    assertThat(request.path()).isEqualTo("/wallet/faucet");
    assertThat(request.raw()).contains("\"params\":[\"bcrt1paddress\",0.29000000]");
  }

  @Test
  void mineReturnsTheBlockHashes() throws IOException {
    BitcoindRpcClient client = client(body -> ok("[\"" + TXID + "\"]"));

    assertThat(client.mine(1, "bcrt1paddress")).containsExactly(TXID);
  }

  @Test
  void warmingUpNodeIsUnavailable() throws IOException {
    BitcoindRpcClient client = client(body -> error(500, -28, "Loading block index"));

    assertThatThrownBy(client::blockHeight).isInstanceOf(ChainUnavailableException.class);
  }

  @Test
  void wrongCredentialsAreUnavailableNotRejected() throws IOException {
    BitcoindRpcClient client = client(body -> new Canned(401, ""));

    assertThatThrownBy(client::blockHeight)
        .isInstanceOf(ChainUnavailableException.class)
        .hasMessageContaining("credentials");
  }

  @Test
  void nonJsonAnswerIsUnavailable() throws IOException {
    BitcoindRpcClient client = client(body -> new Canned(502, "<html>bad gateway</html>"));

    assertThatThrownBy(client::blockHeight).isInstanceOf(ChainUnavailableException.class);
  }

  @Test
  void unreachableNodeIsUnavailable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    BitcoindRpcClient client =
        BitcoindRpcClient.create(ChainClientConfig.of("http://127.0.0.1:" + port, "a", "b"));

    assertThatThrownBy(client::blockHeight).isInstanceOf(ChainUnavailableException.class);
  }

  @Test
  void slowNodeTimesOutAsUnavailable() throws IOException {
    ChainClientConfig config =
        config(
                body -> {
                  try {
                    Thread.sleep(2_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return ok("1");
                })
            .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200));

    assertThatThrownBy(BitcoindRpcClient.create(config)::blockHeight)
        .isInstanceOf(ChainUnavailableException.class);
  }
}
