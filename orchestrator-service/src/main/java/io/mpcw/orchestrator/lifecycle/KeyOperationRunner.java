package io.mpcw.orchestrator.lifecycle;

import io.mpcw.protocol.lifecycle.RefreshParticipant;
import jakarta.annotation.PreDestroy;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Claims due lifecycle operations (any replica; a lease in PostgreSQL keeps one runner per
 * operation, and a dead runner's lease expires) and runs one step of each. On its own thread: a
 * step waits for nodes, and must not hold up the shared scheduler (the chain follower).
 */
@Component
class KeyOperationRunner {
  private static final Logger log = LoggerFactory.getLogger(KeyOperationRunner.class);

  private final KeyOperations operations;
  private final RefreshCoordinator refresh;
  private final ReshareCoordinator reshare;
  private final LifecycleProperties properties;
  private final UUID owner = UUID.randomUUID();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("mpcw-lifecycle-"));

  KeyOperationRunner(
      KeyOperations operations,
      RefreshCoordinator refresh,
      ReshareCoordinator reshare,
      LifecycleProperties properties) {
    this.operations = operations;
    this.refresh = refresh;
    this.reshare = reshare;
    this.properties = properties;
  }

  @EventListener(ApplicationReadyEvent.class)
  void start() {
    if (!properties.enabled()) {
      return;
    }
    long every = properties.pollInterval().toMillis();
    thread.scheduleWithFixedDelay(this::runDue, every, every, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    thread.shutdownNow();
  }

  void runDue() {
    try {
      Optional<KeyOperation> claimed;
      while (!Thread.currentThread().isInterrupted()
          && (claimed = operations.claimDue(owner, properties.lease())).isPresent()) {
        KeyOperation op = claimed.get();
        try {
          // every vote is run alike; a reshare's dealing and commit are its own
          if (RefreshParticipant.RESHARE.equals(op.kind())
              && op.state() != KeyOperation.State.VOTING) {
            reshare.step(op, owner);
          } else {
            refresh.step(op, owner);
          }
        } catch (RuntimeException e) {
          log.warn("operation {} step failed: {}", op.id(), e.toString());
          operations.retryLater(op.id(), owner, properties.retryDelay(), e.toString(), false);
        }
      }
    } catch (RuntimeException e) {
      // the database may be away for a moment; the next poll tries again
      log.warn("lifecycle runner: {}", e.toString());
    }
  }
}
