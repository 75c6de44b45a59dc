package io.mpcw.orchestrator.api.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.orchestrator.config.AdmissionProperties;
import io.mpcw.orchestrator.config.ApiProperties;
import io.mpcw.orchestrator.config.ApiRole;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.security.ApiKeyRegistry;
import io.mpcw.orchestrator.web.DatabaseUnavailable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class AdmissionFilterTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static final String SUBMIT = "submit-key-for-the-filter-test";
  private static final String READ = "read-key-for-the-filter-test";

  private static ApiKeyRegistry keys() {
    return new ApiKeyRegistry(
        new ApiProperties(
            List.of(
                new ApiProperties.Key("submitter", ApiRole.SUBMIT, hash(SUBMIT)),
                new ApiProperties.Key("reader", ApiRole.READ, hash(READ))),
            4096,
            BigDecimal.valueOf(2),
            65536));
  }

  private static String hash(String key) {
    return HexFormat.of().formatHex(ApiKeyRegistry.sha256(key));
  }

  private AdmissionFilter fullCluster() throws Exception {
    Admission full =
        new Admission(
            new AdmissionProperties(10, Duration.ofSeconds(2), Duration.ofMillis(100)),
            () -> 10,
            System::nanoTime);
    return new AdmissionFilter(
        full,
        keys(),
        null, // no Idempotency-Key is sent: never asked
        Jackson2ObjectMapperBuilder.json().build(),
        new OrchestrationMetrics(registry),
        new DatabaseUnavailable(registry));
  }

  private static MockHttpServletRequest post(String key) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/transactions");
    if (key != null) {
      request.addHeader("Authorization", "Bearer " + key);
    }
    request.setContent("{}".getBytes());
    return request;
  }

  /**
   * The filter runs before the security chain and only ever refuses: a caller the chain would not
   * let submit goes on to it (to be told 401 / 403 there), so it never learns the cluster is busy.
   */
  @Test
  void whileFullOnlyACallerWithASubmitKeyIsRefusedHereEveryOtherGoesOnToTheSecurityChain()
      throws Exception {
    AdmissionFilter filter = fullCluster();
    MockFilterChain submitter = new MockFilterChain();
    MockFilterChain reader = new MockFilterChain();
    MockFilterChain anonymous = new MockFilterChain();
    MockFilterChain wrongKey = new MockFilterChain();
    MockHttpServletResponse refused = new MockHttpServletResponse();

    filter.doFilter(post(SUBMIT), refused, submitter);
    filter.doFilter(post(READ), new MockHttpServletResponse(), reader);
    filter.doFilter(post(null), new MockHttpServletResponse(), anonymous);
    filter.doFilter(post("not-a-key"), new MockHttpServletResponse(), wrongKey);

    assertThat(refused.getStatus()).isEqualTo(429);
    assertThat(submitter.getRequest()).isNull();
    assertThat(reader.getRequest()).isNotNull();
    assertThat(anonymous.getRequest()).isNotNull();
    assertThat(wrongKey.getRequest()).isNotNull();
    assertThat(registry.counter("orchestration_submissions_refused_total").count()).isEqualTo(1);
  }

  @Test
  void refusalsAtTheSameCountAreTheSameProblemJson() throws Exception {
    AdmissionFilter filter = fullCluster();
    MockHttpServletResponse first = new MockHttpServletResponse();
    MockHttpServletResponse second = new MockHttpServletResponse();

    filter.doFilter(post(SUBMIT), first, new MockFilterChain());
    filter.doFilter(post(SUBMIT), second, new MockFilterChain());

    JsonNode problem =
        Jackson2ObjectMapperBuilder.json().build().readTree(first.getContentAsByteArray());
    assertThat(problem.get("type").asText()).isEqualTo("urn:mpcw:problem:busy");
    assertThat(problem.get("instance").asText()).isEqualTo("/api/v1/transactions");
    assertThat(problem.get("detail").asText()).contains("10 payments are in flight");
    assertThat(first.getHeader("Retry-After")).isEqualTo("2");
    assertThat(second.getContentAsByteArray()).isEqualTo(first.getContentAsByteArray());
    assertThat(second.getContentLength()).isEqualTo(first.getContentAsByteArray().length);
  }

  @Test
  void aCountTheDatabaseCannotAnswerIs503WithRetryAfterAndTheRequestGoesNoFurther()
      throws Exception {
    Admission admission =
        new Admission(
            new AdmissionProperties(10, Duration.ofSeconds(2), Duration.ofMillis(100)),
            () -> {
              throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection");
            },
            System::nanoTime);
    // as the application's mapper: problem properties at the top level
    ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();
    AdmissionFilter filter =
        new AdmissionFilter(
            admission,
            keys(),
            null, // never reached: the count fails first
            json,
            new OrchestrationMetrics(registry),
            new DatabaseUnavailable(registry));
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/transactions");
    request.setContent("{}".getBytes());
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();

    filter.doFilter(request, response, chain);

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).isEqualTo("1");
    assertThat(response.getContentType()).isEqualTo("application/problem+json");
    JsonNode problem = json.readTree(response.getContentAsByteArray());
    assertThat(problem.get("type").asText()).isEqualTo("urn:mpcw:problem:unavailable");
    assertThat(problem.get("instance").asText()).isEqualTo("/api/v1/transactions");
    assertThat(problem.get("retryable").asBoolean()).isTrue();
    assertThat(chain.getRequest()).as("passed on to the API").isNull();
    assertThat(registry.counter("orchestration_requests_database_unavailable_total").count())
        .isEqualTo(1);
  }
}
