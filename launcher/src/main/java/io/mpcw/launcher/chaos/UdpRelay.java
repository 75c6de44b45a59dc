package io.mpcw.launcher.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A userspace UDP relay with a slow, lossy, reordering link, for the kernels without {@code netem}
 * (this machine kind's: {@code tc qdisc add … netem} answers "Specified qdisc kind is unknown"). It
 * listens on one loopback port and forwards each datagram to the target, and the target's answers
 * back to the sender, each after {@link Impairment#delay()}, a share of them dropped and a share
 * held back longer, so that they overtake each other. Each sender gets its own socket towards the
 * target, so the target sees one stable address per sender (QUIC ties a connection to it).
 *
 * <p>One thread reads, one sends what is due; the impairment can change while it runs.
 */
final class UdpRelay implements AutoCloseable {
  private static final int MAX_DATAGRAM = 65_535;

  /**
   * What the link does to each datagram, both ways.
   *
   * @param delay added to every datagram
   * @param lossPercent share dropped, 0–100
   * @param reorderPercent share held back {@code reorderExtra} more, so that later ones pass them
   */
  record Impairment(Duration delay, int lossPercent, int reorderPercent, Duration reorderExtra) {
    static final Impairment NONE = new Impairment(Duration.ZERO, 0, 0, Duration.ZERO);

    Impairment {
      if (lossPercent < 0 || lossPercent > 100 || reorderPercent < 0 || reorderPercent > 100) {
        throw new IllegalArgumentException("percentages must be 0–100");
      }
      if (delay.isNegative() || reorderExtra.isNegative()) {
        throw new IllegalArgumentException("delays must not be negative");
      }
    }

    @Override
    public String toString() {
      return delay.toMillis()
          + " ms delay, "
          + lossPercent
          + " % loss, "
          + reorderPercent
          + " % reordered (+"
          + reorderExtra.toMillis()
          + " ms)";
    }
  }

  private final InetSocketAddress target;
  private final Selector selector;
  private final DatagramChannel front;
  private final Map<SocketAddress, DatagramChannel> towardsTarget = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sender;
  private final Thread reader;
  private final Random random;
  private volatile Impairment impairment = Impairment.NONE;
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong reordered = new AtomicLong();

  /**
   * Listens on {@code listen} (port 0: any free one) and relays to {@code target}.
   *
   * @param seed of the random drops and hold-backs (a chaos run's seed makes them repeatable)
   */
  UdpRelay(InetSocketAddress listen, InetSocketAddress target, long seed) {
    this.target = target;
    this.random = new Random(seed);
    try {
      selector = Selector.open();
      front = DatagramChannel.open().bind(listen);
      front.configureBlocking(false);
      front.register(selector, SelectionKey.OP_READ);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a UDP relay on " + listen, e);
    }
    sender =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "udp-relay-send-" + port());
              t.setDaemon(true);
              return t;
            });
    reader = new Thread(this::readLoop, "udp-relay-read-" + port());
    reader.setDaemon(true);
    reader.start();
  }

  int port() {
    return front.socket().getLocalPort();
  }

  void impair(Impairment next) {
    impairment = next;
  }

  /** e.g. {@code 1234 forwarded, 61 dropped, 120 reordered}. */
  String counts() {
    return forwarded.get()
        + " forwarded, "
        + dropped.get()
        + " dropped, "
        + reordered.get()
        + " reordered";
  }

  long forwarded() {
    return forwarded.get();
  }

  long dropped() {
    return dropped.get();
  }

  long reordered() {
    return reordered.get();
  }

  private void readLoop() {
    ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
    try {
      while (selector.isOpen()) {
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          DatagramChannel from = (DatagramChannel) key.channel();
          while (true) {
            buffer.clear();
            SocketAddress source = from.receive(buffer);
            if (source == null) {
              break;
            }
            buffer.flip();
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(datagram);
            if (from == front) {
              DatagramChannel out = towardsTarget.computeIfAbsent(source, this::openTowardsTarget);
              relay(datagram, out, target);
            } else {
              relay(datagram, front, (SocketAddress) key.attachment());
            }
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (ClosedSelectorException | IOException e) {
      // closed: the relay ends
    }
  }

  /** A socket of its own towards the target for this sender; the answers come back on it. */
  private DatagramChannel openTowardsTarget(SocketAddress senderAddress) {
    try {
      DatagramChannel channel =
          DatagramChannel.open().bind(new InetSocketAddress(target.getAddress(), 0));
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, senderAddress);
      return channel;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a relay socket towards " + target, e);
    }
  }

  private void relay(byte[] datagram, DatagramChannel via, SocketAddress to) {
    Impairment now = impairment;
    if (now.lossPercent() > 0 && random.nextInt(100) < now.lossPercent()) {
      dropped.incrementAndGet();
      return;
    }
    long delayMs = now.delay().toMillis();
    if (now.reorderPercent() > 0 && random.nextInt(100) < now.reorderPercent()) {
      delayMs += now.reorderExtra().toMillis();
      reordered.incrementAndGet();
    }
    Runnable send =
        () -> {
          try {
            via.send(ByteBuffer.wrap(datagram), to);
            forwarded.incrementAndGet();
          } catch (IOException e) {
            // the peer's socket went away: as on a real link, the datagram is lost
            dropped.incrementAndGet();
          }
        };
    if (delayMs == 0) {
      send.run();
    } else {
      sender.schedule(send, delayMs, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    sender.shutdownNow();
    try {
      selector.close();
      front.close();
      for (DatagramChannel c : towardsTarget.values()) {
        c.close();
      }
    } catch (IOException e) {
      // closing: nothing to do about it
    }
    try {
      reader.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
