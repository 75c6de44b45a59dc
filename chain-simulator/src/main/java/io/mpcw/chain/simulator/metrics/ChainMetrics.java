package io.mpcw.chain.simulator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.chain.simulator.ledger.Ledger;
import io.mpcw.chain.simulator.ledger.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulator's metrics. Labels come from closed sets (reject reasons, the served RPC methods,
 * "other" for anything else) so that a client sending random method names cannot blow up the number
 * of series.
 */
public final class ChainMetrics {
  /** The label of RPC requests for methods the simulator does not serve. */
  public static final String OTHER_METHOD = "other";

  private final Counter accepted;
  private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Counter faucetPayments;

  public ChainMetrics(MeterRegistry registry, Ledger ledger) {
    this.registry = registry;
    Gauge.builder("chain.blocks.height", ledger, Ledger::height)
        .description("Height of the best block")
        .register(registry);
    Gauge.builder("chain.mempool.transactions", ledger, Ledger::mempoolSize)
        .description("Transactions waiting in the mempool")
        .register(registry);
    accepted =
        Counter.builder("chain.transactions.accepted")
            .description("Transactions accepted into the mempool by sendrawtransaction")
            .register(registry);
    faucetPayments =
        Counter.builder("chain.faucet.payments")
            .description("Payments minted by sendtoaddress")
            .register(registry);
    for (RejectReason reason : RejectReason.values()) {
      rejected.put(
          reason,
          Counter.builder("chain.transactions.rejected")
              .description("Transactions refused by sendrawtransaction, by reason")
              .tag("reason", reason.label())
              .register(registry));
    }
    requests.put(OTHER_METHOD, requestCounter(registry, OTHER_METHOD));
  }

  /** Declares the served methods, the label values of the request counter besides "other". */
  public void servedMethods(Set<String> methods) {
    methods.forEach(method -> requests.computeIfAbsent(method, m -> requestCounter(registry, m)));
  }

  public void accepted() {
    accepted.increment();
  }

  public void rejected(RejectReason reason) {
    rejected.get(reason).increment();
  }

  public void faucetPayment() {
    faucetPayments.increment();
  }

  /** Counts a JSON-RPC request; methods the simulator does not serve count as "other". */
  public void request(String method) {
    requests.getOrDefault(method, requests.get(OTHER_METHOD)).increment();
  }

  private static Counter requestCounter(MeterRegistry registry, String method) {
    return Counter.builder("chain.rpc.requests")
        .description("JSON-RPC requests, by method")
        .tag("method", method)
        .register(registry);
  }
}
