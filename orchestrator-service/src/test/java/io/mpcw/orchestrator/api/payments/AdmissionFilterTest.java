package io.mpcw.orchestrator.api.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.orchestrator.config.AdmissionProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.web.DatabaseUnavailable;
import java.lang.reflect.Constructor;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class AdmissionFilterTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static DatabaseUnavailable databaseUnavailable(SimpleMeterRegistry registry)
      throws Exception {
    Constructor<DatabaseUnavailable> constructor =
        DatabaseUnavailable.class.getDeclaredConstructor(
            io.micrometer.core.instrument.MeterRegistry.class);
    constructor.setAccessible(true);
    return constructor.newInstance(registry);
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
            null, // never reached: the count fails first
            json,
            new OrchestrationMetrics(registry),
            databaseUnavailable(registry));
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
