package io.mpcw.launcher.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * node-5 restarted in a mode of the node's fault switch for the window, honest again afterwards:
 * the Byzantine voters ({@code byzantine-*}, f = 1 of 5) and the faulty signers ({@code
 * slow-signer}, {@code withhold-share}), which also promise liveness.
 */
final class NodeInFaultMode implements Fault {
  private static final String NODE = "node-5";

  private final ChaosCluster cluster;
  private final String mode;
  private final Duration window;
  private final boolean signerLiveness;
  private final List<String> notes = new ArrayList<>();

  private NodeInFaultMode(
      ChaosCluster cluster, String mode, Duration window, boolean signerLiveness) {
    this.cluster = cluster;
    this.mode = mode;
    this.window = window;
    this.signerLiveness = signerLiveness;
  }

  /** A Byzantine voter: the invariants judge it, the fault promises nothing more. */
  static Fault byzantine(String mode, ChaosCluster cluster) {
    return new NodeInFaultMode(cluster, mode, Duration.ofSeconds(15), false);
  }

  /**
   * A wallet participant slow in every signing round, or withholding round 2. Promise: every
   * payment is signed and none fails; today's signing keeps it by waiting (for the slow answer, or
   * for the request deadline and a new attempt without the signer).
   */
  static Fault faultySigner(String mode, ChaosCluster cluster) {
    return new NodeInFaultMode(cluster, mode, Duration.ofSeconds(30), true);
  }

  @Override
  public void before() {
    cluster.restart(
        NODE, Map.of("MPCW_NODE_BYZANTINE", mode, "SPRING_PROFILES_ACTIVE", "fault-injection"));
  }

  @Override
  public void during() {}

  @Override
  public void after() {
    cluster.restart(NODE, Map.of());
  }

  @Override
  public Duration window() {
    return window;
  }

  @Override
  public List<String> promise(List<PaymentLoad.Payment> payments) {
    if (!signerLiveness) {
      return List.of();
    }
    SignerLiveness.Outcome outcome = SignerLiveness.check(payments);
    notes.addAll(outcome.notes());
    return outcome.violations();
  }

  @Override
  public List<String> notes() {
    return notes;
  }
}
