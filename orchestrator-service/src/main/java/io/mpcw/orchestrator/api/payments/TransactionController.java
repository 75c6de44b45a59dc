package io.mpcw.orchestrator.api.payments;

import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.web.ApiException;
import io.mpcw.types.transaction.TransactionState;
import java.net.URI;
import java.security.Principal;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The transaction API. */
@RestController
@RequestMapping(path = "/api/v1/transactions", produces = MediaType.APPLICATION_JSON_VALUE)
class TransactionController {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;
  private final TransactionService service;
  private final TransactionViews views;
  private final OrchestrationMetrics metrics;

  TransactionController(
      TransactionService service, TransactionViews views, OrchestrationMetrics metrics) {
    this.service = service;
    this.views = views;
    this.metrics = metrics;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<TransactionView> create(
      @RequestBody CreateTransactionRequest request,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      Principal principal) {
    TransactionService.Created created =
        service.create(request, Optional.ofNullable(idempotencyKey), "api:" + principal.getName());
    if (!created.isNew()) {
      return ResponseEntity.ok(views.of(created.transaction()));
    }
    TransactionView view = views.created(created.transaction(), created.round());
    return ResponseEntity.created(URI.create("/api/v1/transactions/" + view.id())).body(view);
  }

  /** Backpressure: 429 with Retry-After, so clients slow down instead of piling up payments. */
  @ExceptionHandler(Admission.Busy.class)
  ResponseEntity<ProblemDetail> busy(Admission.Busy busy) {
    metrics.refusedBusy();
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(busy.retryAfterSeconds()))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(busy.problem());
  }

  @GetMapping("/{id}")
  TransactionView get(@PathVariable UUID id) {
    return views.of(service.find(id).orElseThrow(() -> TransactionService.notFound(id)));
  }

  @GetMapping
  TransactionSummary.Page list(
      @RequestParam Optional<String> state,
      @RequestParam Optional<Integer> limit,
      @RequestParam Optional<String> cursor) {
    Optional<TransactionState> filter =
        state.map(
            s ->
                TransactionState.fromWireName(s)
                    .orElseThrow(
                        () -> ApiException.invalid("state", "is not a transaction state")));
    int size = limit.orElse(DEFAULT_LIMIT);
    if (size < 1 || size > MAX_LIMIT) {
      throw ApiException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
    }
    TransactionService.Page page = service.list(filter, cursor, size);
    return new TransactionSummary.Page(
        page.items().stream().map(TransactionSummary::of).toList(), page.nextCursor().orElse(null));
  }

  @PostMapping("/{id}/cancel")
  TransactionView cancel(@PathVariable UUID id, Principal principal) {
    return views.of(service.cancel(id, "api:" + principal.getName()));
  }
}
