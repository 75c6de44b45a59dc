package io.mpcw.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mpcw.orchestrator.support.Api;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest extends OrchestratorTestBase {

  @Test
  void prometheusOnTheManagementPortShowsTheBriefsMetricNamesWithoutAKey() {
    String id =
        api.post(
                "/api/v1/transactions",
                SUBMIT_KEY,
                "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":10000}")
            .body()
            .get("id")
            .asText();
    api.post("/api/v1/transactions/" + id + "/cancel", SUBMIT_KEY, "");
    Api management = new Api("http://127.0.0.1:" + managementPort);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              String text = management.text("/actuator/prometheus");
              assertThat(text)
                  .contains("orchestration_state_transitions_total{")
                  .contains("from=\"pending\"")
                  .contains("to=\"cancelled\"")
                  .contains("orchestration_stage_duration_seconds_bucket{")
                  .contains("orchestration_transactions{")
                  .contains("orchestration_submissions_total")
                  .containsPattern(
                      "orchestration_transactions\\{[^}]*state=\"cancelled\"[^}]*\\} [1-9]");
            });
    assertThat(management.get("/actuator/health/readiness", null).status()).isEqualTo(200);
  }
}
