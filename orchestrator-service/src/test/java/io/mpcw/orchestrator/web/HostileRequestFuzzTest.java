package io.mpcw.orchestrator.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.hostile.FuzzRun;
import io.mpcw.hostile.HostileRequests;
import io.mpcw.hostile.ResponseCheck;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A few hundred generated hostile requests against the real application (real PostgreSQL): none may
 * get a 5xx, every 4xx must be problem JSON, and none (each is invalid by construction) may be
 * accepted. The seed is fixed and printed; {@code -Dmpcw.fuzz.seed=N} replays another run.
 */
class HostileRequestFuzzTest extends OrchestratorTestBase {
  private static final int REQUESTS = 400;

  static HostileRequests surface(String apiKey) {
    return new HostileRequests(
        "orchestrator",
        Optional.of("Bearer " + apiKey),
        List.of(
            new HostileRequests.JsonPost(
                "/api/v1/transactions",
                HostileRequests.fields("recipient", "\"" + ADDRESS + "\"", "amount_sats", "1000"),
                "recipient",
                Optional.of("amount_sats")),
            new HostileRequests.JsonPost(
                "/api/v1/wallets",
                HostileRequests.fields("name", "\"fuzz-wallet\"", "threshold", "2"),
                "name",
                Optional.of("threshold"))),
        List.of("/api/v1/transactions", "/api/v1/wallets", "/api/v1/cluster/nodes"),
        List.of("/api/v1/transactions"));
  }

  @Test
  void hostileRequestsGetNo5xxOnlyProblemJsonAndAreNeverAccepted() {
    long seed = Long.getLong("mpcw.fuzz.seed", 20261204L);
    System.out.println(
        "orchestrator fuzz seed " + seed + " (replay with -Dmpcw.fuzz.seed=" + seed + ")");
    FuzzRun.Report report =
        new FuzzRun(surface(SUBMIT_KEY), port, ResponseCheck.Dialect.PROBLEM)
            .run(REQUESTS, new Random(seed), System.nanoTime() + TimeUnit.SECONDS.toNanos(45));
    System.out.println(
        "orchestrator fuzz: " + report.sent() + " sent, by status " + report.byStatus());
    report.findings().forEach(f -> System.out.println("  finding: " + f));

    assertThat(report.findings()).isEmpty();
    assertThat(report.sent()).isGreaterThan(REQUESTS / 2);
    assertThat(count("transactions")).isZero();
  }
}
