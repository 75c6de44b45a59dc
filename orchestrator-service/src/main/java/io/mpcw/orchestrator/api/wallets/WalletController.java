package io.mpcw.orchestrator.api.wallets;

import io.mpcw.orchestrator.lifecycle.KeyOperationView;
import io.mpcw.orchestrator.lifecycle.KeyOperations;
import io.mpcw.orchestrator.wallet.CreateWalletRequest;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.WalletDescriptor;
import io.mpcw.orchestrator.wallet.WalletService;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.orchestrator.web.ApiException;
import io.mpcw.types.problem.ProblemType;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The wallet API: create a wallet (its key by DKG among the nodes) and read wallets. It sits in
 * {@code api}, above {@code wallet} and {@code lifecycle}, because a wallet's view shows its recent
 * key operations while the lifecycle coordinators use {@code wallet}.
 */
@RestController
@RequestMapping(path = "/api/v1/wallets", produces = MediaType.APPLICATION_JSON_VALUE)
class WalletController {
  private static final int LAST_OPERATIONS = 5;

  private final WalletService service;
  private final Wallets wallets;
  private final KeyOperations operations;

  WalletController(WalletService service, Wallets wallets, KeyOperations operations) {
    this.service = service;
    this.wallets = wallets;
    this.operations = operations;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<WalletView> create(@RequestBody CreateWalletRequest request) {
    WalletView view = WalletView.of(service.create(request));
    return ResponseEntity.created(URI.create("/api/v1/wallets/" + view.id())).body(view);
  }

  @GetMapping("/{id}")
  WalletView get(@PathVariable UUID id) {
    Wallet wallet =
        wallets
            .find(id)
            .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No wallet " + id + "."));
    return WalletView.of(
        wallet,
        operations.recent(id, LAST_OPERATIONS).stream()
            .map(op -> KeyOperationView.of(op, List.of()).summary())
            .toList());
  }

  /** The watch-only {@code tr()} descriptor (BIP-386) with its BIP-380 checksum. */
  @GetMapping("/{id}/descriptor")
  WalletDescriptor descriptor(@PathVariable UUID id) {
    Wallet wallet =
        wallets
            .find(id)
            .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No wallet " + id + "."));
    if (!wallet.isReady() || wallet.groupPublicKey().isEmpty()) {
      throw new ApiException(
          ProblemType.INVALID_STATE,
          "Wallet " + id + " has no key yet (status " + wallet.status() + ").");
    }
    return WalletDescriptor.of(wallet);
  }

  @GetMapping
  WalletView.Page list() {
    return new WalletView.Page(wallets.list().stream().map(WalletView::of).toList());
  }
}
