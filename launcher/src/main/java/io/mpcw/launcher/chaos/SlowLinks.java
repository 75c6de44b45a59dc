package io.mpcw.launcher.chaos;

import io.mpcw.launcher.cluster.Processes;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@code slow-lossy-links} chaos scenario: every QUIC packet to and from node-4 and node-5
 * passes a {@link UdpRelay} that delays it 200 ms, drops 5 % and holds 10 % back 100 ms more (so
 * that later packets overtake them), both ways, while the payments run. The two nodes are restarted
 * registering the relay's address ({@code MPCW_NODE_QUIC_ADDRESS}) while their server binds its
 * usual port ({@code MPCW_NODE_QUIC_BIND}), so the orchestrators and the other nodes reach them
 * only through the relay; afterwards they are restarted as before and the relays closed. The
 * promise: payments keep confirming, and node-4 and node-5 keep casting votes over the slow links
 * (they are not merely left out: t = 4 of 5 needs one of them).
 */
final class SlowLinks implements Fault {
  static final String SCENARIO = "slow-lossy-links";

  static final UdpRelay.Impairment SLOW_LOSSY =
      new UdpRelay.Impairment(Duration.ofMillis(200), 5, 10, Duration.ofMillis(100));

  private static final List<String> NODES = List.of("node-4", "node-5");
  private static final Duration HOLD = Duration.ofSeconds(40);
  private static final String VOTES = "node_votes_cast_total";

  private final ChaosCluster cluster;
  private final PaymentLoad load;
  private final long seed;
  private final Map<String, UdpRelay> relays = new LinkedHashMap<>();
  private final List<String> notes = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();

  SlowLinks(ChaosCluster cluster, PaymentLoad load, long seed) {
    this.cluster = cluster;
    this.load = load;
    this.seed = seed;
  }

  private static String promise() {
    return "payments keep confirming, and node-4 and node-5 keep casting votes over links with "
        + SLOW_LOSSY;
  }

  @Override
  public void before() {
    for (String node : NODES) {
      int port = cluster.layout().nodeQuicPort(Integer.parseInt(node.substring("node-".length())));
      UdpRelay relay =
          new UdpRelay(
              new InetSocketAddress("127.0.0.1", 0),
              new InetSocketAddress("127.0.0.1", port),
              seed + port);
      relays.put(node, relay);
      cluster.restart(
          node,
          Map.of(
              "MPCW_NODE_QUIC_ADDRESS", "127.0.0.1:" + relay.port(),
              "MPCW_NODE_QUIC_BIND", "127.0.0.1:" + port));
    }
  }

  @Override
  public void during() {
    Processes.sleep(5_000);
    Map<String, Double> votesBefore = votes();
    relays.values().forEach(r -> r.impair(SLOW_LOSSY));
    Instant from = Instant.now();
    Map<String, Long> droppedBefore = new LinkedHashMap<>();
    Map<String, Long> forwardedBefore = new LinkedHashMap<>();
    relays.forEach((n, r) -> droppedBefore.put(n, r.dropped()));
    relays.forEach((n, r) -> forwardedBefore.put(n, r.forwarded()));
    try {
      Processes.sleep(HOLD.toMillis());
    } finally {
      relays.values().forEach(r -> r.impair(UdpRelay.Impairment.NONE));
    }
    Instant to = Instant.now();
    Map<String, Double> votesAfter = votes();
    long confirmed = load.submittedAndConfirmedBetween(from, to);
    notes.add(
        "fault: QUIC of "
            + NODES
            + " through relays with "
            + SLOW_LOSSY
            + " ("
            + Duration.between(from, to).toSeconds()
            + " s)");
    notes.add(
        "confirmed during the fault: "
            + confirmed
            + " payment(s) submitted after the links slowed and confirmed before they healed");
    boolean voted = true;
    for (String node : NODES) {
      // the others learn the relay's address from the registry; without load nothing flows, so
      // this is checked over the window: no datagram through a relay means the link was not slowed
      if (relays.get(node).forwarded() == forwardedBefore.get(node)) {
        violations.add(
            "the fault did not play out: nothing went through " + node + "'s relay during it");
      }
      long cast = Math.round(votesAfter.get(node) - votesBefore.get(node));
      voted &= cast > 0;
      notes.add(
          "  "
              + node
              + ": "
              + cast
              + " votes cast over the slow link; relay "
              + relays.get(node).counts()
              + " (dropped during the fault: "
              + (relays.get(node).dropped() - droppedBefore.get(node))
              + ")");
    }
    if (confirmed == 0 || !voted) {
      violations.add("promise broken: " + promise());
    }
    notes.add(2, "promise " + (violations.isEmpty() ? "kept" : "BROKEN") + ": " + promise());
  }

  @Override
  public void after() {
    try {
      for (String node : NODES) {
        cluster.restart(node, Map.of());
      }
    } finally {
      relays.values().forEach(UdpRelay::close);
    }
  }

  private Map<String, Double> votes() {
    Map<String, Double> votes = new LinkedHashMap<>();
    NODES.forEach(n -> votes.put(n, cluster.metric(n, VOTES)));
    return votes;
  }

  private String counts() {
    StringBuilder out = new StringBuilder();
    relays.forEach((n, r) -> out.append(n).append(": ").append(r.counts()).append("; "));
    return out.toString();
  }

  @Override
  public Duration window() {
    return HOLD.plusSeconds(5);
  }

  @Override
  public List<String> notes() {
    return notes;
  }

  @Override
  public List<String> violations() {
    return violations;
  }
}
