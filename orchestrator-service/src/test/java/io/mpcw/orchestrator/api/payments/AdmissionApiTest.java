package io.mpcw.orchestrator.api.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.orchestrator.support.Api;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Backpressure: the shared test context admits at most 100 payments between pending and signed. */
class AdmissionApiTest extends OrchestratorTestBase {
  @Autowired MeterRegistry meters;

  private double refusedSoFar() {
    return meters.counter("orchestration_submissions_refused_total").count();
  }

  private String body(long amount) {
    return "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":" + amount + "}";
  }

  /** Fills the cluster's in-flight bound with payments in {@code state}. */
  private void inFlight(int count, String state) {
    String walletId =
        api.post("/api/v1/transactions", SUBMIT_KEY, body(1000)).body().get("wallet_id").asText();
    jdbc.sql(
            "INSERT INTO transactions (id, wallet_id, recipient, amount_sats, fee_rate_sat_vb,"
                + " state, version, created_at, updated_at, state_entered_at, next_attempt_at)"
                + " SELECT gen_random_uuid(), ?::uuid, ?, 1000, 2, ?, 0, now(), now(), now(),"
                + " now() FROM generate_series(1, ?)")
        .params(walletId, ADDRESS, state, count - 1)
        .update();
  }

  @Test
  void aFullClusterRefusesANewPaymentWith429RetryAfterAndStoresNothing() {
    inFlight(100, "signing");
    long before = count("transactions");

    Api.Response refused = api.post("/api/v1/transactions", SUBMIT_KEY, body(20000));

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.headers().get("retry-after")).containsExactly("2");
    assertThat(refused.body().get("type").asText()).isEqualTo("urn:mpcw:problem:busy");
    assertThat(refused.body().get("retryable").asBoolean()).isTrue();
    assertThat(refused.body().get("detail").asText()).contains("100 payments are in flight");
    assertThat(count("transactions")).isEqualTo(before);
  }

  @Test
  void anIdempotentReplayOfAnAcceptedPaymentIsAnsweredWhileBusy() {
    Api.Response accepted =
        api.post("/api/v1/transactions", SUBMIT_KEY, body(20000), "Idempotency-Key", "busy-1");
    inFlight(99, "voting");

    Api.Response replay =
        api.post("/api/v1/transactions", SUBMIT_KEY, body(20000), "Idempotency-Key", "busy-1");
    Api.Response fresh =
        api.post("/api/v1/transactions", SUBMIT_KEY, body(20000), "Idempotency-Key", "busy-2");

    assertThat(accepted.status()).isEqualTo(201);
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.body().get("id")).isEqualTo(accepted.body().get("id"));
    assertThat(fresh.status()).isEqualTo(429);
  }

  @Test
  void paymentsThatOnlyWaitForBlocksOrHaveEndedLeaveRoomForNewOnes() {
    inFlight(100, "broadcasting");
    jdbc.sql("UPDATE transactions SET state = 'confirmed' WHERE state = 'pending'").update();
    inFlight(50, "failed");

    Api.Response accepted = api.post("/api/v1/transactions", SUBMIT_KEY, body(20000));

    assertThat(accepted.status()).isEqualTo(201);
  }

  @Test
  void roomFreedByFinishedPaymentsAdmitsAgain() {
    inFlight(100, "approved");
    assertThat(api.post("/api/v1/transactions", SUBMIT_KEY, body(20000)).status()).isEqualTo(429);

    jdbc.sql("UPDATE transactions SET state = 'rejected' WHERE state = 'approved'").update();

    assertThat(api.post("/api/v1/transactions", SUBMIT_KEY, body(20000)).status()).isEqualTo(201);
  }

  @Test
  void aFullClusterRefusesBeforeTheBodyIsReadAndCountsTheRefusal() {
    inFlight(100, "signing");
    double refusedBefore = refusedSoFar();

    // not even JSON: only a refusal that reads nothing of the request can answer it with 429
    Api.Response refused = api.post("/api/v1/transactions", SUBMIT_KEY, "{not json");

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.headers().get("retry-after")).containsExactly("2");
    assertThat(refused.body().get("type").asText()).isEqualTo("urn:mpcw:problem:busy");
    assertThat(refused.body().get("instance").asText()).isEqualTo("/api/v1/transactions");
    assertThat(refusedSoFar()).isEqualTo(refusedBefore + 1);
  }

  @Test
  void aFullClusterStillTellsCallersWithoutTheSubmitRoleThatTheyMayNot() {
    inFlight(100, "signing");

    assertThat(api.post("/api/v1/transactions", null, body(20000)).status()).isEqualTo(401);
    assertThat(api.post("/api/v1/transactions", READ_KEY, body(20000)).status()).isEqualTo(403);
  }

  @Test
  void aFullClusterStillNamesAMalformedIdempotencyKey() {
    inFlight(100, "signing");

    Api.Response refused =
        api.post("/api/v1/transactions", SUBMIT_KEY, body(20000), "Idempotency-Key", "a b");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("errors").get(0).get("field").asText())
        .isEqualTo("Idempotency-Key");
  }

  @Test
  void otherRequestsAreServedWhileTheClusterIsFull() {
    inFlight(100, "signing");
    String id =
        jdbc.sql("SELECT id FROM transactions WHERE state = 'signing' LIMIT 1")
            .query(String.class)
            .single();

    assertThat(api.get("/api/v1/transactions/" + id, READ_KEY).status()).isEqualTo(200);
    assertThat(api.post("/api/v1/transactions/" + id + "/cancel", SUBMIT_KEY, "").status())
        .isEqualTo(409);
  }

  @Test
  void theInFlightCountBindsNothingSoItsPlanIsMadeOnce() {
    // a count with its states bound was planned again at every call (docs/benchmarks.md)
    assertThat(Admission.COUNT_IN_FLIGHT).doesNotContain("?").doesNotContain(":");
  }
}
