package io.mpcw.orchestrator.api.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.orchestrator.support.Api;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TransactionApiTest extends OrchestratorTestBase {

  private String body(long amount) {
    return "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":" + amount + "}";
  }

  @Test
  void createsAPendingTransactionOnTheDefaultWalletWithItsHistory() {
    Api.Response created =
        api.post(
            "/api/v1/transactions",
            SUBMIT_KEY,
            "{\"recipient\":\""
                + ADDRESS
                + "\",\"amount_sats\":10000,\"fee_rate_sat_vb\":2.5,"
                + "\"metadata\":{\"invoice\":\"A-17\",\"lines\":[1,2]}}");

    assertThat(created.status()).isEqualTo(201);
    JsonNode tx = created.body();
    assertThat(tx.get("state").asText()).isEqualTo("pending");
    assertThat(tx.get("recipient").asText()).isEqualTo(ADDRESS);
    assertThat(tx.get("amount_sats").asLong()).isEqualTo(10000);
    assertThat(tx.get("fee_rate_sat_vb").decimalValue()).isEqualByComparingTo("2.5");
    assertThat(tx.get("metadata").get("invoice").asText()).isEqualTo("A-17");
    assertThat(tx.get("wallet_id").asText()).isNotBlank();
    assertThat(created.headers().get("location").get(0))
        .isEqualTo("/api/v1/transactions/" + tx.get("id").asText());

    Api.Response fetched = api.get("/api/v1/transactions/" + tx.get("id").asText(), READ_KEY);
    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.body().get("history")).hasSize(1);
    assertThat(fetched.body().get("history").get(0).get("to").asText()).isEqualTo("pending");
    assertThat(fetched.body().get("history").get(0).get("from").isNull()).isTrue();
    assertThat(fetched.body().get("signing").get("attempts").asInt()).isZero();
    assertThat(fetched.body().has("chain")).isTrue();
    // the answer is built from the stored row alone, and says what reading it back says
    assertThat(created.body()).isEqualTo(fetched.body());
  }

  static List<Object[]> badBodies() {
    String ok = "\"recipient\":\"" + ADDRESS + "\"";
    return List.of(
        new Object[] {"{\"amount_sats\":10000}", "recipient"},
        new Object[] {"{\"recipient\":\"\",\"amount_sats\":10000}", "recipient"},
        new Object[] {"{\"recipient\":\"not-an-address\",\"amount_sats\":10000}", "recipient"},
        new Object[] {
          "{\"recipient\":\"" + MAINNET_ADDRESS + "\",\"amount_sats\":10000}", "recipient"
        },
        new Object[] {
          "{\"recipient\":\""
              + ADDRESS.substring(0, ADDRESS.length() - 1)
              + "q\",\"amount_sats\":10000}",
          "recipient"
        },
        new Object[] {"{" + ok + "}", "amount_sats"},
        new Object[] {"{" + ok + ",\"amount_sats\":545}", "amount_sats"},
        new Object[] {"{" + ok + ",\"amount_sats\":2100000000000001}", "amount_sats"},
        new Object[] {"{" + ok + ",\"amount_sats\":-5}", "amount_sats"},
        new Object[] {"{" + ok + ",\"amount_sats\":1000.5}", "amount_sats"},
        new Object[] {"{" + ok + ",\"amount_sats\":\"lots\"}", "amount_sats"},
        new Object[] {
          "{" + ok + ",\"amount_sats\":10000,\"fee_rate_sat_vb\":0}", "fee_rate_sat_vb"
        },
        new Object[] {
          "{" + ok + ",\"amount_sats\":10000,\"fee_rate_sat_vb\":20000}", "fee_rate_sat_vb"
        },
        new Object[] {"{" + ok + ",\"amount_sats\":10000,\"wallet_id\":\"nope\"}", "wallet_id"},
        new Object[] {
          "{" + ok + ",\"amount_sats\":10000,\"wallet_id\":\"" + UUID.randomUUID() + "\"}",
          "wallet_id"
        },
        new Object[] {
          "{" + ok + ",\"amount_sats\":10000,\"metadata\":{\"x\":\"" + "a".repeat(4100) + "\"}}",
          "metadata"
        },
        new Object[] {"{" + ok + ",\"amount_sats\":10000,\"memo\":\"hi\"}", "memo"});
  }

  @ParameterizedTest
  @MethodSource("badBodies")
  void refusesABadBodyWithProblemJsonNamingTheFieldAndStoresNothing(String body, String field) {
    Api.Response response = api.post("/api/v1/transactions", SUBMIT_KEY, body);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.body().get("type").asText()).isEqualTo("urn:mpcw:problem:validation");
    assertThat(response.body().get("status").asInt()).isEqualTo(400);
    assertThat(response.body().get("errors").findValuesAsText("field")).contains(field);
    assertThat(response.body().toString()).doesNotContain("Exception").doesNotContain("at io.");
    assertThat(count("transactions")).isZero();
  }

  @Test
  void refusesMalformedJsonAndAnEmptyBodyAsProblems() {
    for (String body : List.of("{\"recipient\":", "", "[1,2]", "null")) {
      Api.Response response = api.post("/api/v1/transactions", SUBMIT_KEY, body);
      assertThat(response.status()).as(body).isEqualTo(400);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.body().get("title").asText()).isNotBlank();
    }
    assertThat(count("transactions")).isZero();
  }

  @Test
  void reportsEveryBadFieldAtOnce() {
    Api.Response response =
        api.post(
            "/api/v1/transactions",
            SUBMIT_KEY,
            "{\"recipient\":\"x\",\"amount_sats\":1,\"fee_rate_sat_vb\":-1}");
    assertThat(response.body().get("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder("recipient", "amount_sats", "fee_rate_sat_vb");
  }

  @Test
  void sameIdempotencyKeyAndBodyReturnsTheSameTransactionWith200() {
    Api.Response first =
        api.post("/api/v1/transactions", SUBMIT_KEY, body(20000), "Idempotency-Key", "order-1");
    Api.Response again =
        api.post(
            "/api/v1/transactions",
            SUBMIT_KEY,
            "{ \"amount_sats\": 20000, \"recipient\": \"" + ADDRESS + "\" }",
            "Idempotency-Key",
            "order-1");

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().get("id")).isEqualTo(first.body().get("id"));
    assertThat(count("transactions")).isEqualTo(1);
  }

  @Test
  void sameIdempotencyKeyWithAnotherBodyIsAConflict() {
    api.post("/api/v1/transactions", SUBMIT_KEY, body(20000), "Idempotency-Key", "order-2");
    Api.Response other =
        api.post("/api/v1/transactions", SUBMIT_KEY, body(30000), "Idempotency-Key", "order-2");

    assertThat(other.status()).isEqualTo(409);
    assertThat(other.body().get("type").asText())
        .isEqualTo("urn:mpcw:problem:idempotency-conflict");
    assertThat(count("transactions")).isEqualTo(1);
  }

  @Test
  void concurrentRequestsWithOneKeyCreateOnePaymentAndAnswerItToAll() throws Exception {
    int requests = 8;
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Api.Response>> answers = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        // half of them with another amount: those must see the one payment and be refused
        long amount = i % 2 == 0 ? 20000 : 30000;
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return api.post(
                      "/api/v1/transactions",
                      SUBMIT_KEY,
                      body(amount),
                      "Idempotency-Key",
                      "order-race");
                }));
      }
      start.countDown();
      List<Api.Response> responses = new ArrayList<>();
      for (Future<Api.Response> answer : answers) {
        responses.add(answer.get(30, TimeUnit.SECONDS));
      }

      List<Api.Response> created = responses.stream().filter(r -> r.status() == 201).toList();
      assertThat(created).hasSize(1);
      for (Api.Response r : responses) {
        if (r.status() == 201) {
          continue;
        }
        boolean sameBody = r.status() == 200;
        assertThat(r.status()).isIn(200, 409);
        if (sameBody) {
          assertThat(r.body().get("id")).isEqualTo(created.get(0).body().get("id"));
        } else {
          assertThat(r.body().get("type").asText())
              .isEqualTo("urn:mpcw:problem:idempotency-conflict");
        }
      }
      // every request with the winner's amount was answered with its payment, every other refused
      assertThat(responses.stream().filter(r -> r.status() == 409).count()).isEqualTo(requests / 2);
      assertThat(count("transactions")).isEqualTo(1);
      assertThat(count("idempotency_keys")).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesAnIdempotencyKeyThatIsTooLong() {
    Api.Response response =
        api.post(
            "/api/v1/transactions", SUBMIT_KEY, body(20000), "Idempotency-Key", "k".repeat(256));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body().get("errors").get(0).get("field").asText())
        .isEqualTo("Idempotency-Key");
  }

  @Test
  void listsNewestFirstWithCursorPagingAndAStateFilter() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(
          api.post("/api/v1/transactions", SUBMIT_KEY, body(1000 + i)).body().get("id").asText());
    }
    api.post("/api/v1/transactions/" + ids.get(0) + "/cancel", SUBMIT_KEY, "");

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Api.Response page =
          api.get(
              "/api/v1/transactions?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
              READ_KEY);
      assertThat(page.status()).isEqualTo(200);
      page.body().get("transactions").forEach(t -> seen.add(t.get("id").asText()));
      cursor =
          page.body().get("next_cursor").isNull() ? null : page.body().get("next_cursor").asText();
      pages++;
    } while (cursor != null);

    assertThat(pages).isEqualTo(3);
    List<String> newestFirst = new ArrayList<>(ids);
    java.util.Collections.reverse(newestFirst);
    assertThat(seen).containsExactlyElementsOf(newestFirst);
    Api.Response cancelled = api.get("/api/v1/transactions?state=cancelled", READ_KEY);
    assertThat(cancelled.body().get("transactions")).hasSize(1);
    assertThat(cancelled.body().get("transactions").get(0).get("id").asText())
        .isEqualTo(ids.get(0));
  }

  @Test
  void refusesBadListParametersNamingThem() {
    assertThat(field(api.get("/api/v1/transactions?state=done", READ_KEY))).isEqualTo("state");
    assertThat(field(api.get("/api/v1/transactions?limit=0", READ_KEY))).isEqualTo("limit");
    assertThat(field(api.get("/api/v1/transactions?limit=201", READ_KEY))).isEqualTo("limit");
    assertThat(field(api.get("/api/v1/transactions?limit=ten", READ_KEY))).isEqualTo("limit");
    assertThat(field(api.get("/api/v1/transactions?cursor=%21%21", READ_KEY))).isEqualTo("cursor");
  }

  @Test
  void cancelsAPendingTransactionOnceAndRefusesTheSecondCancel() {
    String id = api.post("/api/v1/transactions", SUBMIT_KEY, body(5000)).body().get("id").asText();

    Api.Response cancelled = api.post("/api/v1/transactions/" + id + "/cancel", SUBMIT_KEY, "");
    Api.Response again = api.post("/api/v1/transactions/" + id + "/cancel", SUBMIT_KEY, "");

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.body().get("state").asText()).isEqualTo("cancelled");
    assertThat(cancelled.body().get("history")).hasSize(2);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().get("type").asText()).isEqualTo("urn:mpcw:problem:invalid-state");
  }

  @Test
  void unknownAndMalformedIdsAreProblems() {
    Api.Response unknown = api.get("/api/v1/transactions/" + UUID.randomUUID(), READ_KEY);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");
    assertThat(
            api.post("/api/v1/transactions/" + UUID.randomUUID() + "/cancel", SUBMIT_KEY, "")
                .status())
        .isEqualTo(404);
    assertThat(field(api.get("/api/v1/transactions/not-a-uuid", READ_KEY))).isEqualTo("id");
    Api.Response noRoute = api.get("/api/v1/nothing-here", READ_KEY);
    assertThat(noRoute.status()).isEqualTo(404);
    assertThat(noRoute.contentType()).startsWith("application/problem+json");
  }

  @Test
  void requiresAnApiKeyAndTheSubmitRoleToWrite() {
    Api.Response anonymous = api.post("/api/v1/transactions", null, body(5000));
    Api.Response wrongKey = api.get("/api/v1/transactions", "not-a-key");
    Api.Response reader = api.post("/api/v1/transactions", READ_KEY, body(5000));
    Api.Response readerCancels =
        api.post("/api/v1/transactions/" + UUID.randomUUID() + "/cancel", READ_KEY, "");

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.contentType()).startsWith("application/problem+json");
    assertThat(wrongKey.status()).isEqualTo(401);
    assertThat(reader.status()).isEqualTo(403);
    assertThat(reader.body().get("type").asText()).isEqualTo("urn:mpcw:problem:forbidden");
    assertThat(readerCancels.status()).isEqualTo(403);
    assertThat(api.get("/api/v1/transactions", READ_KEY).status()).isEqualTo(200);
    assertThat(count("transactions")).isZero();
  }

  @Test
  void servesTheOpenApiDocumentWithoutAKey() {
    Api.Response doc = api.get("/v3/api-docs", null);
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.body().get("paths").has("/api/v1/transactions")).isTrue();
  }

  private static String field(Api.Response response) {
    assertThat(response.status()).isEqualTo(400);
    return response.body().get("errors").get(0).get("field").asText();
  }
}
