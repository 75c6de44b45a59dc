package io.mpcw.orchestrator.lifecycle;

import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.orchestrator.web.ApiException;
import io.mpcw.protocol.lifecycle.RefreshParticipant;
import io.mpcw.types.problem.ProblemType;
import java.net.URI;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Key lifecycle API: start a refresh of a wallet's shares or the repair of one participant's lost
 * share, follow an operation.
 */
@RestController
@RequestMapping(path = "/api/v1/wallets/{walletId}", produces = MediaType.APPLICATION_JSON_VALUE)
class LifecycleController {
  private final Wallets wallets;
  private final KeyOperations operations;

  LifecycleController(Wallets wallets, KeyOperations operations) {
    this.wallets = wallets;
    this.operations = operations;
  }

  /** 202: the refresh runs in the background; follow it at the operation's URL. */
  @PostMapping("/refresh")
  ResponseEntity<KeyOperationView> refresh(@PathVariable UUID walletId) {
    Wallet wallet = wallet(walletId);
    if (!wallet.isReady()) {
      throw new ApiException(
          ProblemType.INVALID_STATE,
          "Wallet "
              + walletId
              + " is "
              + wallet.status().wireName()
              + "; only a ready wallet"
              + " can be refreshed.");
    }
    KeyOperation op;
    try {
      op = operations.create(walletId, RefreshParticipant.REFRESH, wallet.keyEpoch(), "");
    } catch (DuplicateKeyException e) {
      throw new ApiException(
          ProblemType.CONFLICT,
          "Wallet " + walletId + " already has a lifecycle operation running; wait for it.");
    }
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/wallets/" + walletId + "/operations/" + op.id()))
        .body(KeyOperationView.of(op, operations.history(op.id())));
  }

  /** Body of {@code POST /repair}: the participant whose share is lost. */
  record RepairRequest(String participant) {}

  /** 202: the repair runs in the background; follow it at the operation's URL. */
  @PostMapping(path = "/repair", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<KeyOperationView> repair(
      @PathVariable UUID walletId, @RequestBody RepairRequest request) {
    Wallet wallet = wallet(walletId);
    if (request == null || request.participant() == null || request.participant().isBlank()) {
      throw ApiException.invalid("participant", "is required");
    }
    if (!wallet.participants().contains(request.participant())) {
      throw ApiException.invalid(
          "participant",
          "is not a participant of wallet " + walletId + " (" + wallet.participants() + ")");
    }
    if (!wallet.isReady()) {
      throw new ApiException(
          ProblemType.INVALID_STATE,
          "Wallet "
              + walletId
              + " is "
              + wallet.status().wireName()
              + "; only a ready wallet"
              + " can be repaired.");
    }
    KeyOperation op;
    try {
      op =
          operations.create(
              walletId, RefreshParticipant.REPAIR, wallet.keyEpoch(), request.participant());
    } catch (DuplicateKeyException e) {
      throw new ApiException(
          ProblemType.CONFLICT,
          "Wallet " + walletId + " already has a lifecycle operation running; wait for it.");
    }
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/wallets/" + walletId + "/operations/" + op.id()))
        .body(KeyOperationView.of(op, operations.history(op.id())));
  }

  @GetMapping("/operations/{operationId}")
  KeyOperationView operation(@PathVariable UUID walletId, @PathVariable UUID operationId) {
    wallet(walletId);
    return operations
        .find(operationId)
        .filter(op -> op.walletId().equals(walletId))
        .map(op -> KeyOperationView.of(op, operations.history(op.id())))
        .orElseThrow(
            () ->
                new ApiException(
                    ProblemType.NOT_FOUND,
                    "No operation " + operationId + " of wallet " + walletId + "."));
  }

  private Wallet wallet(UUID walletId) {
    return wallets
        .find(walletId)
        .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No wallet " + walletId + "."));
  }
}
