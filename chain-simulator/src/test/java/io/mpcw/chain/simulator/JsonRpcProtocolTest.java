package io.mpcw.chain.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP and JSON-RPC envelope, bad requests included: errors, never stack traces. */
class JsonRpcProtocolTest {
  private static ChainSimulator chain;
  private static RawRpc rpc;

  @BeforeAll
  static void start() {
    chain = ChainSimulator.builder().credentials("user", "pass").build().start();
    rpc = new RawRpc(chain.url(), "user", "pass");
  }

  @AfterAll
  static void stop() {
    chain.close();
  }

  @Test
  void answersInBitcoindEnvelope() {
    RawRpc.Answer answer = rpc.call("getblockcount", "[]");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().path("result").asInt()).isZero();
    assertThat(answer.json().path("error").isNull()).isTrue();
    assertThat(answer.json().path("id").asText()).isEqualTo("t");
  }

  @Test
  void refusesWrongOrMissingCredentialsWith401() {
    assertThat(new RawRpc(chain.url(), "user", "wrong").call("getblockcount", "[]").status())
        .isEqualTo(401);
    assertThat(new RawRpc(chain.url()).call("getblockcount", "[]").status()).isEqualTo(401);
  }

  @Test
  void garbageJsonIsAParseErrorAndTheServerKeepsServing() {
    RawRpc.Answer answer = rpc.post("/", "{\"method\": getblockcount");

    assertThat(answer.status()).isEqualTo(500);
    assertThat(answer.errorCode()).isEqualTo(-32700);
    assertThat(answer.body()).doesNotContain("Exception");
    assertThat(rpc.call("getblockcount", "[]").status()).isEqualTo(200);
  }

  @Test
  void unknownMethodIsMethodNotFoundWith404() {
    RawRpc.Answer answer = rpc.call("stop", "[]");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.errorCode()).isEqualTo(-32601);
  }

  @Test
  void nonStringMethodIsAnInvalidRequest() {
    RawRpc.Answer answer = rpc.post("/", "{\"id\":1,\"method\":42}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.errorCode()).isEqualTo(-32600);
  }

  @Test
  void badParametersAreRefusedWithBitcoindCodes() {
    assertThat(rpc.call("getblockhash", "[]").errorCode()).isEqualTo(-1);
    assertThat(rpc.call("getblockhash", "[\"one\"]").errorCode()).isEqualTo(-3);
    assertThat(rpc.call("getrawtransaction", "[\"xyz\"]").errorCode()).isEqualTo(-8);
    String address = new TestKey(12).address();
    assertThat(rpc.call("sendtoaddress", "[\"" + address + "\", 0.000000001]").errorCode())
        .isEqualTo(-3);
    assertThat(rpc.call("getblockcount", "{\"named\":1}").errorCode()).isEqualTo(-8);
  }

  @Test
  void servesBatchesAndWalletPaths() {
    RawRpc.Answer batch =
        rpc.post(
            "/",
            "[{\"id\":1,\"method\":\"getblockcount\"},{\"id\":2,\"method\":\"nosuchmethod\"}]");
    assertThat(batch.status()).isEqualTo(200);
    assertThat(batch.json().get(0).path("result").asInt()).isZero();
    assertThat(batch.json().get(1).path("error").path("code").asInt()).isEqualTo(-32601);

    RawRpc.Answer wallet =
        rpc.post("/wallet/default", "{\"id\":1,\"method\":\"getblockcount\",\"params\":[]}");
    assertThat(wallet.status()).isEqualTo(200);
  }

  @Test
  void healthIsOpenWithoutCredentials() {
    RawRpc.Answer health = new RawRpc(chain.url()).get("/health");

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("status").asText()).isEqualTo("UP");
  }

  @Test
  void metricsAreOpenAndUseBoundedLabels() {
    TestKey key = new TestKey(11);
    rpc.call("sendrawtransaction", "[\"00\"]");
    rpc.call("random-method-" + System.nanoTime(), "[]");
    rpc.call("sendtoaddress", "[\"" + key.address() + "\", 0.001]");

    String metrics = new RawRpc(chain.url()).get("/metrics").body();

    assertThat(metrics)
        .contains("chain_blocks_height ")
        .contains("chain_mempool_transactions ")
        .contains("chain_transactions_accepted_total ")
        .contains("chain_transactions_rejected_total{reason=\"decode\"} 1.0")
        .contains("chain_rpc_requests_total{method=\"other\"}")
        .contains("chain_rpc_requests_total{method=\"sendrawtransaction\"}")
        .doesNotContain("random-method");
  }
}
