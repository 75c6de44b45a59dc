package io.mpcw.orchestrator.lifecycle;

import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.orchestrator.web.ApiException;
import io.mpcw.protocol.lifecycle.RefreshParticipant;
import io.mpcw.protocol.lifecycle.ReshareSubject;
import io.mpcw.types.problem.ProblemType;
import java.net.URI;
import java.util.List;
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
 * Key lifecycle API: start a refresh of a wallet's shares, the repair of one participant's lost
 * share or a reshare to a new set or threshold; follow an operation.
 */
@RestController
@RequestMapping(path = "/api/v1/wallets/{walletId}", produces = MediaType.APPLICATION_JSON_VALUE)
class LifecycleController {
  private final Wallets wallets;
  private final KeyOperations operations;
  private final ReshareTargets targets;

  LifecycleController(Wallets wallets, KeyOperations operations, ReshareTargets targets) {
    this.wallets = wallets;
    this.operations = operations;
    this.targets = targets;
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

  /** Body of {@code POST /reshare}: the new threshold and set, in FROST identifier order. */
  record ReshareRequest(Integer threshold, List<String> participants) {}

  /**
   * 202: the reshare runs in the background (the current participants vote first); follow it at the
   * operation's URL.
   */
  @PostMapping(path = "/reshare", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<KeyOperationView> reshare(
      @PathVariable UUID walletId, @RequestBody ReshareRequest request) {
    Wallet wallet = wallet(walletId);
    ReshareSubject subject =
        targets.check(
            request == null ? null : request.threshold(),
            request == null ? null : request.participants());
    if (!wallet.isReady()) {
      throw new ApiException(
          ProblemType.INVALID_STATE,
          "Wallet "
              + walletId
              + " is "
              + wallet.status().wireName()
              + "; only a ready wallet"
              + " can be reshared.");
    }
    KeyOperation op;
    try {
      op =
          operations.createReshare(
              walletId,
              wallet.keyEpoch(),
              subject.encode(),
              new KeyOperation.NewSet(
                  subject.threshold(), subject.participants(), wallet.participants()));
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
