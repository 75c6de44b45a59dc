package io.mpcw.node.vote;

import io.etcd.jetcd.KV;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.node.fault.ByzantineMode;
import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.node.policy.PolicyProperties;
import io.mpcw.node.policy.SpendWindow;
import io.mpcw.node.policy.VotePolicy;
import io.mpcw.types.etcd.EtcdKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** One node's voting stack as the Spring configuration wires it, for tests without a context. */
public final class VotingNode implements AutoCloseable {

  public static final PolicyProperties DEFAULT_POLICY =
      new PolicyProperties(100_000_000L, 0, List.of(), List.of(), "regtest", 100_000);

  public final MeterRegistry meters = new SimpleMeterRegistry();
  public final VoteHandler handler;
  private final ExecutorService workers = Executors.newFixedThreadPool(2);

  public VotingNode(
      NodeIdentity identity,
      PolicyProperties policy,
      ByzantineMode mode,
      KV kv,
      String prefix,
      Duration callTimeout,
      Duration castDeadline) {
    VoteMetrics metrics = new VoteMetrics(meters);
    VoteService service =
        new VoteService(
            new VotePolicy(policy),
            new SpendWindow(Clock.systemUTC()),
            new VoteRecorder(new VoteSigner(identity), mode),
            mode,
            metrics,
            Clock.systemUTC());
    this.handler =
        new VoteHandler(
            service,
            new VoteLedgers(kv, new EtcdKeys(prefix), callTimeout, castDeadline),
            mode,
            metrics,
            workers,
            Clock.systemUTC(),
            "orchestrator");
  }

  public VotingNode(NodeIdentity identity, ByzantineMode mode, KV kv, String prefix) {
    this(identity, DEFAULT_POLICY, mode, kv, prefix, Duration.ofSeconds(2), Duration.ofSeconds(10));
  }

  public double cast(String decision) {
    return meters.get("node.votes.cast").tag("decision", decision).counter().count();
  }

  public double refused(String reason) {
    return meters.get("node.votes.refused").tag("reason", reason).counter().count();
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
