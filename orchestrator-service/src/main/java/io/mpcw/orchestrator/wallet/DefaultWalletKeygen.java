package io.mpcw.orchestrator.wallet;

import io.mpcw.orchestrator.config.ClusterProperties;
import io.mpcw.orchestrator.dkg.DkgCoordinator;
import io.mpcw.orchestrator.dkg.DkgException;
import io.mpcw.orchestrator.dkg.DkgProperties;
import io.mpcw.orchestrator.dkg.DkgResult;
import io.mpcw.orchestrator.registry.ClusterNode;
import io.mpcw.orchestrator.registry.RegistryClient;
import io.mpcw.orchestrator.registry.RegistryUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Generates the default wallet's key in the background once enough nodes are active, and retries a
 * failed DKG with backoff. Cheap when there is nothing to do (one indexed read). Safe with several
 * orchestrator replicas: an attempt starts only through a conditional UPDATE that one replica wins,
 * and it leases the wallet for the DKG's deadline. Runs on its own thread, so a DKG never delays
 * the other scheduled work.
 */
@Component
class DefaultWalletKeygen implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(DefaultWalletKeygen.class);
  private final Wallets wallets;
  private final WalletService service;
  private final RegistryClient registry;
  private final DkgCoordinator coordinator;
  private final DkgProperties dkg;
  private final WalletProperties properties;
  private final ClusterProperties cluster;
  private volatile Optional<ScheduledExecutorService> executor = Optional.empty();
  private volatile boolean waitingLogged;

  DefaultWalletKeygen(
      Wallets wallets,
      WalletService service,
      RegistryClient registry,
      DkgCoordinator coordinator,
      DkgProperties dkg,
      WalletProperties properties,
      ClusterProperties cluster) {
    this.wallets = wallets;
    this.service = service;
    this.registry = registry;
    this.coordinator = coordinator;
    this.dkg = dkg;
    this.properties = properties;
    this.cluster = cluster;
  }

  /** One look: finishes the default wallet's key if it needs one and nodes allow it now. */
  void runOnce() {
    wallets.failAbandoned();
    Optional<Wallet> current = wallets.findDefault();
    if (current.isEmpty() || current.get().isReady()) {
      return;
    }
    int wanted = properties.defaultParticipants(cluster.totalNodes());
    List<String> active;
    try {
      active = registry.activeNodes().stream().map(ClusterNode::nodeId).sorted().toList();
    } catch (RegistryUnavailableException e) {
      waiting("the registry cannot be reached");
      return;
    }
    if (active.size() < wanted) {
      waiting(active.size() + " of the " + wanted + " participants it needs are active");
      return;
    }
    waitingLogged = false;
    List<String> participants = active.subList(0, wanted);
    int threshold = properties.defaultThreshold();
    Optional<Wallets.Claim> claim =
        wallets.claimDefault(
            participants, threshold, dkg.deadline().plus(WalletService.LEASE_MARGIN));
    if (claim.isEmpty()) {
      return;
    }
    Wallets.Claim attempt = claim.get();
    log.info(
        "generating the default wallet's key ({} of {}: {}), attempt {}",
        threshold,
        participants.size(),
        participants,
        attempt.attempt());
    try {
      DkgResult result = coordinator.run(attempt.walletId(), participants, threshold);
      String address = service.address(result);
      wallets.markReady(attempt.walletId(), result, address);
      log.info("default wallet {} is ready: {}", attempt.walletId(), address);
    } catch (DkgException e) {
      Duration backoff = backoff(attempt.attempt());
      String reason = WalletService.reasonOf(e);
      if (e.sharesMayExist()) {
        var fresh =
            wallets.retireDefault(attempt.walletId(), properties.defaultName(), reason, backoff);
        log.warn(
            "default wallet {} failed after shares may have been stored ({}); retrying as {} in {}",
            attempt.walletId(),
            reason,
            fresh,
            backoff);
      } else {
        wallets.markFailed(attempt.walletId(), reason, Optional.of(backoff));
        log.warn("default wallet DKG failed ({}); retrying in {}", reason, backoff);
      }
    }
  }

  Duration backoff(int attempt) {
    Duration wait = properties.keygenBackoffMin();
    for (int i = 1; i < attempt && wait.compareTo(properties.keygenBackoffMax()) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(properties.keygenBackoffMax()) > 0 ? properties.keygenBackoffMax() : wait;
  }

  private void waiting(String why) {
    if (!waitingLogged) {
      log.info("the default wallet's key waits: {}", why);
      waitingLogged = true;
    }
  }

  private void tick() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      // the database or registry may be briefly away; the next tick tries again
      log.warn("default wallet keygen check failed: {}", e.toString());
    }
  }

  @Override
  public synchronized void start() {
    if (!properties.keygenEnabled() || executor.isPresent()) {
      return;
    }
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "mpcw-default-wallet-keygen");
              thread.setDaemon(true);
              return thread;
            });
    long every = properties.keygenInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    executor = Optional.of(scheduler);
  }

  @Override
  public synchronized void stop() {
    executor.ifPresent(ScheduledExecutorService::shutdownNow);
    executor = Optional.empty();
  }

  @Override
  public boolean isRunning() {
    return executor.isPresent();
  }
}
