package io.mpcw.orchestrator.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.orchestrator.config.ApiProperties;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.transaction.CannotCreateTransactionException;

class DatabaseUnavailableTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DatabaseUnavailable unavailable = new DatabaseUnavailable(registry);
  private final ApiExceptionHandler handler =
      new ApiExceptionHandler(
          new ApiProperties(List.of(), 4096, BigDecimal.valueOf(2), 65536), unavailable);

  @Test
  void aPoolThatGaveNoConnectionInTimeIsAnswered503WithRetryAfterNot500() {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/transactions");
    CannotCreateTransactionException noConnection =
        new CannotCreateTransactionException(
            "Could not open JDBC Connection for transaction",
            new java.sql.SQLTransientConnectionException("Connection is not available"));

    ResponseEntity<ProblemDetail> answer = handler.unexpected(noConnection, request);

    assertThat(answer.getStatusCode().value()).isEqualTo(503);
    assertThat(answer.getHeaders().get("Retry-After")).containsExactly("1");
    assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
    ProblemDetail problem = answer.getBody();
    assertThat(problem.getType()).hasToString("urn:mpcw:problem:unavailable");
    assertThat(problem.getProperties()).containsEntry("retryable", true);
    assertThat(problem.getDetail()).contains("retry").doesNotContain("JDBC", "Connection");
    assertThat(registry.counter("orchestration_requests_database_unavailable_total").count())
        .isEqualTo(1);
  }

  @Test
  void onlyTheDatabaseBeingOutOfReachOrBusyCountsAsUnavailable() {
    assertThat(DatabaseUnavailable.is(new CannotGetJdbcConnectionException("no connection")))
        .isTrue();
    assertThat(DatabaseUnavailable.is(new CannotAcquireLockException("deadlock broken"))).isTrue();
    assertThat(DatabaseUnavailable.is(new CannotCreateTransactionException("pool timeout")))
        .isTrue();
    assertThat(DatabaseUnavailable.is(new DataIntegrityViolationException("a bug"))).isFalse();
    assertThat(DatabaseUnavailable.is(new IllegalStateException("a bug"))).isFalse();
  }
}
