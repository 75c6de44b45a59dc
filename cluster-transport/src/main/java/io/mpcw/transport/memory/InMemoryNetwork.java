package io.mpcw.transport.memory;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.pki.PeerIdentity;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process-local "network" connecting in-memory clients and servers. Requests still go through
 * frame encoding and the frame size limit, so only sockets and TLS are left out. Identities are
 * given explicitly instead of proven by certificates.
 */
public final class InMemoryNetwork implements AutoCloseable {

  static final String HOST = "in-memory";

  private final Map<Integer, InMemoryServer> servers = new ConcurrentHashMap<>();
  private final AtomicInteger nextPort = new AtomicInteger(1);
  private final ExecutorService handlers;
  private final ScheduledExecutorService timer;
  private final TransportSettings settings;
  private final Clock clock;

  public InMemoryNetwork(TransportSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.handlers = Executors.newCachedThreadPool(daemon("mpcw-memory-handler"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("mpcw-memory-timer"));
  }

  public InMemoryNetwork() {
    this(TransportSettings.defaults(), Clock.systemUTC());
  }

  /** A server that will prove {@code identity} and admit the clients {@code policy} permits. */
  public InMemoryServer server(String identity, IdentityPolicy policy, MeterRegistry registry) {
    return new InMemoryServer(this, identity, policy, registry);
  }

  /** A client whose requests arrive as coming from {@code self}. */
  public InMemoryClient client(PeerIdentity self, MeterRegistry registry) {
    return new InMemoryClient(this, self, registry);
  }

  int bind(InMemoryServer server) {
    int port = nextPort.getAndIncrement();
    servers.put(port, server);
    return port;
  }

  void unbind(int port) {
    servers.remove(port);
  }

  Optional<InMemoryServer> serverAt(String host, int port) {
    return HOST.equals(host) ? Optional.ofNullable(servers.get(port)) : Optional.empty();
  }

  ExecutorService handlers() {
    return handlers;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  TransportSettings settings() {
    return settings;
  }

  Clock clock() {
    return clock;
  }

  @Override
  public void close() {
    servers.clear();
    handlers.shutdownNow();
    timer.shutdownNow();
    try {
      handlers.awaitTermination(5, TimeUnit.SECONDS);
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
