package io.mpcw.node.registry;

import io.mpcw.node.NodeProperties;
import io.mpcw.node.load.CpuLoad;
import io.mpcw.node.registry.RegistryClient.HeartbeatResult;
import io.mpcw.node.registry.RegistryClientMetrics.Outcome;
import io.mpcw.node.session.InFlightSessions;
import io.mpcw.types.cluster.Heartbeat;
import io.mpcw.types.cluster.NodeRegistration;
import io.mpcw.types.cluster.NodeView;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps this node known to the registry: registers on start, heartbeats every interval, registers
 * again when the registry has forgotten it, and deregisters on shutdown. The registry being down
 * never stops the node: attempts continue with a growing pause, and each outage is logged once.
 *
 * <p>After {@code peerModeAfterFailures} unreachable attempts in a row the membership is handed to
 * the peer exchange ({@link ClusterMembership#enterPeerMode()}); the first node list read from the
 * registry again takes it back.
 *
 * <p>All registry calls run on one private thread, so the state below needs no locking; {@link
 * #stop} reads it only after that thread has finished.
 */
public class RegistryAgent implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(RegistryAgent.class);

  private final RegistryClient client;
  private final RegistryClientMetrics metrics;
  private final NodeProperties properties;
  private final Supplier<URI> managementUrl;
  private final CpuLoad cpu;
  private final InFlightSessions sessions;

  private final ClusterMembership membership;
  private final int peerModeAfterFailures;
  private volatile ScheduledThreadPoolExecutor executor;
  private volatile boolean running;
  private boolean registered;
  private int failures;
  private int unreachableInARow;
  private boolean problemLogged;

  public RegistryAgent(
      RegistryClient client,
      RegistryClientMetrics metrics,
      NodeProperties properties,
      Supplier<URI> managementUrl,
      CpuLoad cpu,
      InFlightSessions sessions,
      ClusterMembership membership,
      int peerModeAfterFailures) {
    if (peerModeAfterFailures < 1) {
      throw new IllegalArgumentException("peerModeAfterFailures must be at least 1");
    }
    this.client = client;
    this.metrics = metrics;
    this.properties = properties;
    this.managementUrl = managementUrl;
    this.cpu = cpu;
    this.sessions = sessions;
    this.membership = membership;
    this.peerModeAfterFailures = peerModeAfterFailures;
  }

  /** One step: register or heartbeat. Returns the pause before the next step. */
  Duration tick() {
    try {
      metrics.record(registered ? heartbeat() : register());
      recovered();
      return properties.heartbeatInterval();
    } catch (RegistryUnavailableException e) {
      metrics.record(Outcome.UNREACHABLE);
      reportOnce("registry {} unreachable, node keeps running and retries: {}", e);
      unreachableInARow++;
      if (unreachableInARow >= peerModeAfterFailures && membership.enterPeerMode()) {
        log.warn(
            "registry unreachable {} times in a row: peer mode, membership kept by exchanging"
                + " peer lists with {} known node(s)",
            unreachableInARow,
            membership.members().size());
      }
      return backoff();
    } catch (RegistryRejectedException e) {
      metrics.record(Outcome.REJECTED);
      unreachableInARow = 0;
      reportOnce(
          "registry {} refused this node (check that the cluster CA issued this node's certificate): {}",
          e);
      return backoff();
    }
  }

  boolean isRegistered() {
    return registered;
  }

  private Outcome register() {
    client.register(
        new NodeRegistration(
            properties.nodeId(),
            properties.quicAddress(),
            managementUrl.get().toString(),
            properties.version()));
    registered = true;
    refreshMembership();
    log.info("registered {} with registry {}", properties.nodeId(), properties.registryUrl());
    return Outcome.REGISTERED;
  }

  private Outcome heartbeat() {
    Heartbeat beat = new Heartbeat(cpu.percent(), sessions.count(), null);
    if (client.heartbeat(properties.nodeId(), beat) == HeartbeatResult.ACCEPTED) {
      refreshMembership();
      return Outcome.OK;
    }
    log.info("registry no longer knows {}, registering again", properties.nodeId());
    registered = false;
    register();
    return Outcome.REREGISTERED;
  }

  /**
   * Keeps the last known membership when the list cannot be read: liveness comes first. In peer
   * mode, a list read here ends it.
   */
  private void refreshMembership() {
    try {
      List<NodeView> nodes = client.nodes();
      boolean wasPeerMode = membership.mode() == ClusterMembership.Mode.PEER;
      membership.update(nodes);
      if (wasPeerMode) {
        log.info("registry mode again: membership from the registry ({} nodes)", nodes.size());
      }
    } catch (RegistryUnavailableException | RegistryRejectedException e) {
      log.debug("node list not refreshed: {}", e.toString());
    }
  }

  private Duration backoff() {
    failures++;
    long factor = 1L << Math.min(failures - 1, 20);
    Duration delay = properties.heartbeatInterval().multipliedBy(factor);
    return delay.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : delay;
  }

  private void reportOnce(String message, RuntimeException e) {
    if (!problemLogged) {
      problemLogged = true;
      log.warn(message, properties.registryUrl(), e.getMessage());
    } else {
      log.debug(message, properties.registryUrl(), e.getMessage());
    }
  }

  private void recovered() {
    if (problemLogged) {
      log.info(
          "registry {} answers again after {} failed attempt(s)",
          properties.registryUrl(),
          failures);
    }
    problemLogged = false;
    failures = 0;
    unreachableInARow = 0;
  }

  @Override
  public void start() {
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "registry-agent");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor = scheduler;
    running = true;
    scheduler.execute(this::loop);
  }

  private void loop() {
    Duration next;
    try {
      next = tick();
    } catch (RuntimeException e) {
      // a bug in one step must not end the heartbeats for the rest of the node's life
      log.error("registry agent step failed", e);
      next = properties.maxBackoff();
    }
    if (running) {
      executor.schedule(this::loop, next.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Stops heartbeating, then tells the registry this node leaves (best effort). */
  @Override
  public void stop() {
    running = false;
    ScheduledThreadPoolExecutor scheduler = executor;
    if (scheduler == null) {
      return;
    }
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(
          properties.requestTimeout().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS)) {
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      scheduler.shutdownNow();
    }
    if (registered) {
      deregister();
    }
  }

  private void deregister() {
    try {
      client.deregister(properties.nodeId());
      registered = false;
      log.info("deregistered {} from registry {}", properties.nodeId(), properties.registryUrl());
    } catch (RegistryUnavailableException | RegistryRejectedException e) {
      log.warn("could not deregister {}: {}", properties.nodeId(), e.getMessage());
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
