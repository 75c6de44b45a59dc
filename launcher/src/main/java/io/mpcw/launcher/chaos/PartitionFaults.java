package io.mpcw.launcher.chaos;

import io.mpcw.launcher.cluster.Processes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The chaos scenarios that cut the network rather than kill processes ({@link NetworkCuts}). Each
 * one states its liveness promise: payments submitted while the fault acts are confirmed before it
 * heals (checked, a violation when none is), on top of the invariants every scenario checks; the
 * etcd split promises seed 002's properties instead ({@link EtcdSplit}).
 */
final class PartitionFaults {
  static final List<String> SCENARIOS =
      List.of(
          "etcd-split-2-3",
          "node-cut-from-etcd",
          "node-cut-from-orchestrator",
          "registry-cut-from-two-nodes",
          "node-replies-dropped",
          "lossy-links",
          "orchestrator-cut-from-postgres",
          "orchestrator-cut-from-nodes");

  private static final Duration HOLD = Duration.ofSeconds(40);
  private static final List<String> ORCHESTRATORS =
      List.of("orchestrator", ChaosCluster.SECOND_ORCHESTRATOR);

  private PartitionFaults() {}

  static Fault of(String name, ChaosCluster cluster, PaymentLoad load) {
    NetworkCuts cuts = cluster.cuts();
    List<String> nodes = cluster.layout().nodeIds();
    return switch (name) {
      case "etcd-split-2-3" -> EtcdSplit.fault(cluster, load);
      case "node-cut-from-etcd" ->
          new Cut(
              load,
              cuts,
              "node-3 cut from every etcd member, not from the orchestrators",
              "payments keep confirming: the other 4 nodes (= t) vote and sign",
              notes -> cuts.cut(List.of("node-3"), cluster.etcdNames()),
              notes -> {});
      case "node-cut-from-orchestrator" ->
          new Cut(
              load,
              cuts,
              "node-3 cut from both orchestrator replicas, not from etcd",
              "payments keep confirming without node-3's vote and share",
              notes -> cuts.cut(List.of("node-3"), ORCHESTRATORS),
              notes -> {});
      case "registry-cut-from-two-nodes" ->
          new Cut(
              load,
              cuts,
              "node-4 and node-5 cut from the registry",
              "payments keep confirming; node-4 and node-5 go to peer mode, the others stay",
              notes -> cuts.cut(List.of("node-4", "node-5"), List.of("registry")),
              notes -> {
                Set<String> peer = cluster.nodesInPeerMode();
                notes.add("nodes in peer mode during the cut: " + peer);
                if (!peer.equals(Set.of("node-4", "node-5"))) {
                  throw new PromiseBroken(
                      "expected exactly node-4 and node-5 in peer mode, saw " + peer);
                }
              });
      case "node-replies-dropped" ->
          new Cut(
              load,
              cuts,
              "asymmetric: the orchestrators reach node-3, node-3's replies to them are dropped",
              "payments keep confirming (node-3's votes still land in etcd, its answers do not)",
              notes -> cuts.dropReplies("node-3", ORCHESTRATORS),
              notes -> {});
      case "lossy-links" ->
          new Cut(
              load,
              cuts,
              "5 % of the UDP (QUIC) packets of node-4 and node-5 dropped, both directions",
              "payments keep confirming over lossy QUIC links",
              notes -> cuts.lossy(List.of("node-4", "node-5"), 5),
              notes -> {});
      case "orchestrator-cut-from-postgres" -> new MidStageDatabaseCut(cluster, load);
      case "orchestrator-cut-from-nodes" ->
          new Cut(
              load,
              cuts,
              "orchestrator (replica 1) cut from every node, replica 2 not",
              "payments keep confirming through replica 2",
              notes -> cuts.cut(List.of("orchestrator"), nodes),
              notes -> {});
      default -> throw new IllegalArgumentException("no partition scenario " + name);
    };
  }

  /**
   * Orchestrator replica 2 cut from PostgreSQL while it holds claimed work (aimed: the cut is made
   * when its {@code orchestration_claims_held} gauge shows work in a stage, and kept only if it
   * still does once the rules are in). Held 25 s: past its 10-s leases and the 5-s sweep, so
   * replica 1 takes the work over, and short of the 30-s connection timeout, so the cut replica's
   * stages are still running when the link returns and try to write their results. Those late
   * results must be refused by name: its {@code orchestration_stale_results_refused_total} grows.
   */
  static final class MidStageDatabaseCut extends Cut {
    private static final String REPLICA = ChaosCluster.SECOND_ORCHESTRATOR;
    private static final int AIM_TRIES = 20;
    private final ChaosCluster cluster;
    private double refusedBefore;
    private boolean aimed;

    MidStageDatabaseCut(ChaosCluster cluster, PaymentLoad load) {
      super(
          load,
          cluster.cuts(),
          "orchestrator-2 cut from PostgreSQL in the middle of a stage (its 10-s leases lapse)",
          "payments keep confirming through replica 1, which takes the work over; replica 2's"
              + " late results are refused when it returns",
          notes -> {},
          notes -> {},
          Duration.ofSeconds(25));
      this.cluster = cluster;
    }

    @Override
    void inject() {
      refusedBefore = cluster.metric(REPLICA, "orchestration_stale_results_refused_total");
      NetworkCuts cuts = cluster.cuts();
      for (int attempt = 1; attempt <= AIM_TRIES; attempt++) {
        awaitWorkInAStage();
        cuts.cut(List.of(REPLICA), List.of("postgres"));
        double held = cluster.metric(REPLICA, "orchestration_claims_held");
        if (held > 0) {
          notes.add(
              "cut with "
                  + (long) held
                  + " claimed payment(s) in a stage on orchestrator-2 (aim "
                  + attempt
                  + ")");
          aimed = true;
          return;
        }
        cuts.heal(); // its stages ended before the rules were in: aim again
        Processes.sleep(200);
      }
      notes.add("cut without work in a stage on orchestrator-2 (" + AIM_TRIES + " aims missed)");
    }

    /** Polls replica 2's gauge tightly (a stage lasts tens of milliseconds), for up to 10 s. */
    private void awaitWorkInAStage() {
      Instant until = Instant.now().plusSeconds(10);
      while (Instant.now().isBefore(until)
          && cluster.metric(REPLICA, "orchestration_claims_held") <= 0) {
        Processes.sleep(5);
      }
    }

    @Override
    void afterHeal() {
      if (!aimed) {
        // no late result can be expected of a replica that held no work when cut
        notes.add("late results not checked: no aim landed on work in a stage");
        return;
      }
      boolean refused =
          Processes.await(
              Duration.ofSeconds(60),
              () ->
                  cluster.metric(REPLICA, "orchestration_stale_results_refused_total")
                      > refusedBefore);
      double now = cluster.metric(REPLICA, "orchestration_stale_results_refused_total");
      notes.add(
          "late results of orchestrator-2 refused after the heal: " + (long) (now - refusedBefore));
      if (!refused) {
        violations.add(
            "promise broken: orchestrator-2 wrote no refused late result within 60 s of the"
                + " heal (orchestration_stale_results_refused_total did not grow)");
      }
    }
  }

  /** A promise seen broken while the fault acted. */
  static final class PromiseBroken extends RuntimeException {
    PromiseBroken(String message) {
      super(message);
    }
  }

  /**
   * One network fault: 5 s of normal load, the cut for {@link #HOLD} (with a check of what it
   * should do after half of it), heal. A payment promise is kept when at least one payment
   * submitted after the cut was made is confirmed before it heals; a fault whose promise is about
   * something else ({@link #paymentsPromised} false) checks it in its own steps and only reports
   * how many payments got through.
   */
  static class Cut implements Fault {
    private final PaymentLoad load;
    private final NetworkCuts cuts;
    private final String what;
    private final String promise;
    private final Consumer<List<String>> inject;
    private final Consumer<List<String>> midway;
    private final Duration hold;
    boolean paymentsPromised = true;
    final List<String> notes = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();

    Cut(
        PaymentLoad load,
        NetworkCuts cuts,
        String what,
        String promise,
        Consumer<List<String>> inject,
        Consumer<List<String>> midway) {
      this(load, cuts, what, promise, inject, midway, HOLD);
    }

    Cut(
        PaymentLoad load,
        NetworkCuts cuts,
        String what,
        String promise,
        Consumer<List<String>> inject,
        Consumer<List<String>> midway,
        Duration hold) {
      this.load = load;
      this.cuts = cuts;
      this.what = what;
      this.promise = promise;
      this.inject = inject;
      this.midway = midway;
      this.hold = hold;
    }

    /** Makes the cut. */
    void inject() {
      inject.accept(notes);
    }

    @Override
    public void during() {
      Processes.sleep(5_000);
      Instant from = Instant.now();
      try {
        inject();
        Processes.sleep(hold.toMillis() / 2);
        try {
          midway.accept(notes);
        } catch (PromiseBroken e) {
          violations.add("promise broken: " + e.getMessage());
        }
        Processes.sleep(
            Math.max(0, hold.toMillis() - Duration.between(from, Instant.now()).toMillis()));
      } finally {
        cuts.heal();
      }
      Instant to = Instant.now();
      // what must hold once the links are back, before the promise is judged
      afterHeal();
      long through = load.submittedAndConfirmedBetween(from, to);
      notes.add(0, "fault: " + what + " (" + Duration.between(from, to).toSeconds() + " s)");
      notes.add(
          1,
          "confirmed during the fault: "
              + through
              + " payment(s) submitted after the cut and confirmed before it healed");
      if (paymentsPromised && through == 0) {
        violations.add("promise broken: " + promise + ": no payment got through during the fault");
      }
      notes.add(2, "promise " + (violations.isEmpty() ? "kept" : "BROKEN") + ": " + promise);
    }

    /** What must hold once the links are back (nothing by default; the invariants follow). */
    void afterHeal() {}

    @Override
    public Duration window() {
      return hold.plusSeconds(5);
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
}
