package io.mpcw.orchestrator.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.chain.BitcoindRpcClient;
import io.mpcw.chain.ChainClient;
import io.mpcw.chain.simulator.ChainSimulator;
import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.frost.Secp256k1Sha256Taproot;
import io.mpcw.crypto.frost.TrustedDealer;
import io.mpcw.embedded.postgres.PostgresServer;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.payment.Coins;
import io.mpcw.orchestrator.payment.Payments;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.pipeline.WorkClaims;
import io.mpcw.orchestrator.transaction.RowChange;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.WorkSignals;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.types.transaction.TransactionState;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What {@code approved → signing} costs as the wallet grows: one run, one real embedded PostgreSQL
 * 17 with the orchestrator's Flyway migrations, one wallet per size with that many confirmed coins,
 * and the real {@code BuildTransactionStage} (the Spring bean, with the real {@code Coins}, {@code
 * Payments}, {@code Wallets}, {@code WorkClaims} and {@code StateTransitions}, transactional
 * proxies included) applied exactly as the pipeline engine applies it: claim, {@code handle} (the
 * unlocked look), then one database transaction running the effect (pick and lock coins {@code FOR
 * UPDATE SKIP LOCKED}, reserve, record the change, record the built transaction) and the state
 * change. Only the handle and that transaction are timed.
 *
 * <p>After each build, outside the measurement, its block "confirms": the inputs are marked spent
 * and the change becomes a confirmed coin (what the chain follower does), so each wallet keeps its
 * size through the run. The sizes are measured in interleaved rounds (order rotated every round) so
 * that the load of a shared machine drifts over all of them alike; the ratios between sizes within
 * one run are the result, not the absolute figures.
 *
 * <p>Per build: wall time; the JVM's process CPU time, from OperatingSystemMXBean (every thread,
 * but counted in clock ticks of 10 ms on Linux, so a mean over a few hundred builds of 1–3 ms each
 * is a sample count) and, precisely, as the sum over {@code /proc/self/task/<tid>/schedstat} (every
 * thread: GC and JIT compilers too; nanoseconds); the bench thread's own CPU time; and the CPU of
 * every PostgreSQL process (the postmaster and its children, from {@code /proc/<pid>/schedstat},
 * nanoseconds; {@code /proc/<pid>/stat} ticks where schedstat is missing), read just outside the
 * timed window while PostgreSQL is idle.
 *
 * <p>Then, per size, a few payments for more than the wallet holds: their approved stage ends in
 * {@code failed} ("insufficient funds", naming what the wallet has), after asking the chain (a
 * chain simulator in this JVM) whether the follower is caught up.
 *
 * <p>Arguments: sizes (comma-separated coin counts, default {@code 10,10000,100000}), measured
 * builds per size (300), warm-up builds per size (100), payments per size the wallet cannot pay
 * (5).
 */
public final class BuildCostBench {
  private static final String OWNER = "build-cost-bench";
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final String CHAIN_USER = "mpcw-bench";
  private static final String CHAIN_PASSWORD = "chain-password-for-the-bench";

  /** Keeps the transactional proxies on the repositories, as in the service. */
  @Configuration
  @EnableTransactionManagement(proxyTargetClass = true)
  static class Transactions {}

  private record BenchWallet(UUID id, int coins, byte[] script) {}

  /**
   * One build's figures, nanoseconds: {@code jvmCpu} from OperatingSystemMXBean (clock ticks),
   * {@code jvmTasksCpu} the same process CPU from {@code /proc/self/task/<tid>/schedstat}.
   */
  private record Sample(
      long wall, long jvmCpu, long jvmTasksCpu, long threadCpu, long pgCpu, int inputs) {}

  private BuildCostBench() {}

  public static void main(String[] args) throws Exception {
    // no logging configuration on the test classpath: logback would print every SQL at DEBUG
    ((ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    // the chain simulator's Netty server warns about its own shutdown
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.netty"))
        .setLevel(ch.qos.logback.classic.Level.ERROR);
    List<Integer> sizes =
        Arrays.stream((args.length > 0 ? args[0] : "10,10000,100000").split(","))
            .map(s -> Integer.parseInt(s.trim()))
            .toList();
    int measured = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int shortOnes = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    int rounds = Math.max(1, Math.min(10, measured));
    System.out.printf(
        "sizes %s coins; %d measured + %d warm-up builds per size in %d interleaved rounds;"
            + " then %d payments per size the wallet cannot pay%n",
        sizes, measured, warmup, rounds, shortOnes);

    try (PostgresServer pg = PostgresServer.startEmbedded(Optional.empty(), 0);
        HikariDataSource ds = dataSource(pg, pg.ensureDatabase("build_cost"));
        ChainSimulator chain =
            ChainSimulator.builder().credentials(CHAIN_USER, CHAIN_PASSWORD).build().start()) {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
      try (AnnotationConfigApplicationContext spring = context(ds, chain)) {
        new Run(spring, sizes, measured, warmup, rounds, shortOnes).run();
      }
    }
  }

  private static HikariDataSource dataSource(PostgresServer pg, String url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(pg.user());
    config.setPassword(pg.password());
    // one build at a time: two connections (the stage's and the bench's bookkeeping) suffice
    config.setMaximumPoolSize(2);
    return new HikariDataSource(config);
  }

  /**
   * The stage and what it needs, as the service wires them. The chain (the simulator, in this JVM)
   * is asked only whether the follower is caught up, when a wallet cannot pay.
   */
  @SuppressWarnings("unchecked")
  private static AnnotationConfigApplicationContext context(DataSource ds, ChainSimulator chain)
      throws Exception {
    AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext();
    spring.register(Transactions.class);
    spring.registerBean(DataSource.class, () -> ds);
    spring.registerBean(JdbcClient.class, () -> JdbcClient.create(ds));
    spring.registerBean(
        PlatformTransactionManager.class, () -> new DataSourceTransactionManager(ds));
    spring.registerBean(
        TransactionTemplate.class,
        () -> new TransactionTemplate(spring.getBean(PlatformTransactionManager.class)));
    spring.registerBean(MeterRegistry.class, SimpleMeterRegistry::new);
    spring.registerBean(
        ChainClient.class, () -> BitcoindRpcClient.create(chain.url(), CHAIN_USER, CHAIN_PASSWORD));
    for (Class<?> bean :
        List.of(
            OrchestrationMetrics.class,
            WorkSignals.class,
            StateTransitions.class,
            WorkClaims.class,
            Wallets.class,
            Coins.class,
            Payments.class,
            // package-private in io.mpcw.orchestrator.payment, as in the service
            Class.forName("io.mpcw.orchestrator.payment.ChainFollower"),
            Class.forName("io.mpcw.orchestrator.payment.BuildTransactionStage"))) {
      spring.registerBean((Class<Object>) bean);
    }
    spring.refresh();
    return spring;
  }

  private static final class Run {
    private final JdbcClient jdbc;
    private final TransactionTemplate database;
    private final StageHandler stage;
    private final WorkClaims claims;
    private final StateTransitions transitions;
    private final List<Integer> sizes;
    private final int measured;
    private final int warmup;
    private final int rounds;
    private final int shortOnes;
    private final Random random = new Random(20261205L);
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final String recipient;
    private final long chainHeight;
    private long postmaster;
    private String benchTask;

    Run(
        AnnotationConfigApplicationContext spring,
        List<Integer> sizes,
        int measured,
        int warmup,
        int rounds,
        int shortOnes) {
      this.jdbc = spring.getBean(JdbcClient.class);
      this.database = spring.getBean(TransactionTemplate.class);
      this.stage =
          spring.getBeansOfType(StageHandler.class).values().stream()
              .filter(h -> h.stage() == TransactionState.APPROVED)
              .findFirst()
              .orElseThrow();
      this.claims = spring.getBean(WorkClaims.class);
      this.transitions = spring.getBean(StateTransitions.class);
      this.sizes = sizes;
      this.measured = measured;
      this.warmup = warmup;
      this.rounds = rounds;
      this.shortOnes = shortOnes;
      this.chainHeight = spring.getBean(ChainClient.class).blockHeight();
      this.recipient = taprootAddress(new SecureRandom());
    }

    void run() throws IOException {
      benchTask = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
      long backend = jdbc.sql("SELECT pg_backend_pid()").query(Long.class).single();
      postmaster = ProcessHandle.of(backend).flatMap(ProcessHandle::parent).orElseThrow().pid();
      System.out.println(
          "PostgreSQL: "
              + jdbc.sql("SELECT version()").query(String.class).single()
              + "; postmaster pid "
              + postmaster
              + ", CPU read from "
              + (Files.exists(Path.of("/proc/" + postmaster + "/schedstat"))
                  ? "/proc/<pid>/schedstat"
                  : "/proc/<pid>/stat (clock ticks)"));

      Map<Integer, BenchWallet> wallets = new LinkedHashMap<>();
      for (int size : sizes) {
        long started = System.nanoTime();
        wallets.put(size, wallet(size));
        System.out.printf(
            "wallet with %,d coins loaded in %d ms%n",
            size, (System.nanoTime() - started) / 1_000_000);
      }
      // the follower has read the chain up to its tip (what it records after each block)
      jdbc.sql("INSERT INTO chain_cursor (id, height, block_hash) VALUES (1, ?, 'bench')")
          .param(chainHeight)
          .update();
      // the planner knows the table as autovacuum would have it in service
      jdbc.sql("ANALYZE utxos").update();
      jdbc.sql("ANALYZE transactions").update();

      Map<Integer, List<Sample>> samples = new LinkedHashMap<>();
      sizes.forEach(size -> samples.put(size, new ArrayList<>()));
      interleaved(wallets, warmup, null);
      interleaved(wallets, measured, samples);
      report("approved → signing", samples, wallets);

      if (shortOnes > 0) {
        Map<Integer, List<Sample>> failing = new LinkedHashMap<>();
        sizes.forEach(size -> failing.put(size, new ArrayList<>()));
        for (int size : sizes) {
          build(wallets.get(size), true); // warm-up of this path
        }
        for (int n = 0; n < shortOnes; n++) {
          for (int size : sizes) {
            failing.get(size).add(build(wallets.get(size), true));
          }
        }
        report(
            "approved → failed (more than the wallet holds: insufficient funds)", failing, wallets);
      }
      explain(wallets);
    }

    /** {@code perSize} builds per wallet, spread over the rounds, the order rotated each round. */
    private void interleaved(
        Map<Integer, BenchWallet> wallets, int perSize, Map<Integer, List<Sample>> samples) {
      int roundCount = Math.min(rounds, Math.max(1, perSize));
      for (int round = 0; round < roundCount; round++) {
        int inRound = perSize / roundCount + (round < perSize % roundCount ? 1 : 0);
        for (int i = 0; i < sizes.size(); i++) {
          int size = sizes.get((i + round) % sizes.size());
          for (int n = 0; n < inRound; n++) {
            Sample sample = build(wallets.get(size), false);
            if (samples != null) {
              samples.get(size).add(sample);
            }
          }
        }
      }
    }

    /**
     * One payment's approved stage, timed: to signing, after which its block confirms (untimed);
     * or, {@code tooMuch}, for more than the wallet holds, to failed.
     */
    private Sample build(BenchWallet wallet, boolean tooMuch) {
      UUID payment = UUID.randomUUID();
      jdbc.sql(
              "INSERT INTO transactions (id, wallet_id, recipient, amount_sats, fee_rate_sat_vb,"
                  + " state, created_at, updated_at, state_entered_at, next_attempt_at)"
                  + " VALUES (?, ?, ?, ?, 2, 'approved', now(), now(), now(), now())")
          .params(
              payment,
              wallet.id(),
              recipient,
              tooMuch ? 2_000_000_000_000_000L : 10_000 + random.nextInt(40_000))
          .update();
      List<ClaimedTransaction> claimed = claims.claim(TransactionState.APPROVED, 1, LEASE, OWNER);
      if (claimed.size() != 1 || !claimed.get(0).tx().id().equals(payment)) {
        throw new IllegalStateException("claimed " + claimed + " instead of " + payment);
      }
      ClaimedTransaction claim = claimed.get(0);

      long pgBefore = postgresCpu();
      long othersBefore = otherTasksCpu();
      long cpuBefore = os.getProcessCpuTime();
      long threadBefore = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      StageOutcome outcome = stage.handle(claim);
      TransactionState to = tooMuch ? TransactionState.FAILED : TransactionState.SIGNING;
      java.util.function.Function<RowChange, String> effect;
      if (outcome instanceof StageOutcome.AdvanceWith advance && advance.to() == to) {
        effect = advance.effect();
      } else if (outcome instanceof StageOutcome.Advance advance && advance.to() == to) {
        effect =
            row -> {
              advance.columns().accept(row);
              advance.effect().run();
              return advance.reason();
            };
      } else {
        throw new IllegalStateException("the stage did not move to " + to + ": " + outcome);
      }
      // what PipelineEngine.advance does: the effect and the state change in one transaction
      Boolean applied =
          database.execute(
              status -> {
                RowChange row = new RowChange();
                String reason = effect.apply(row);
                boolean ok =
                    transitions
                        .apply(
                            claim.tx(),
                            to,
                            reason,
                            "engine:" + OWNER,
                            Optional.of(claim.leaseToken()),
                            Optional.empty(),
                            Duration.ZERO,
                            row)
                        .isPresent();
                if (!ok) {
                  status.setRollbackOnly();
                }
                return ok;
              });
      long wall = System.nanoTime() - start;
      long threadCpu = threads.getCurrentThreadCpuTime() - threadBefore;
      long jvmCpu = os.getProcessCpuTime() - cpuBefore;
      long jvmTasksCpu = otherTasksCpu() - othersBefore + threadCpu;
      long pgCpu = postgresCpu() - pgBefore;
      if (!Boolean.TRUE.equals(applied)) {
        throw new IllegalStateException("the state change of " + payment + " was not applied");
      }
      if (tooMuch) {
        return new Sample(wall, jvmCpu, jvmTasksCpu, threadCpu, pgCpu, 0);
      }

      int inputs =
          jdbc.sql("SELECT count(*) FROM utxos WHERE reserved_by = ?")
              .param(payment)
              .query(Integer.class)
              .single();
      database.executeWithoutResult(
          status -> {
            // the block that confirms it: inputs spent, change confirmed (as the follower records)
            jdbc.sql("UPDATE utxos SET spent_by = reserved_by WHERE reserved_by = ?")
                .param(payment)
                .update();
            jdbc.sql("UPDATE utxos SET height = 900000 WHERE created_by = ? AND height IS NULL")
                .param(payment)
                .update();
            jdbc.sql(
                    "UPDATE transactions SET state = 'confirmed', broadcast_at = now(),"
                        + " confirmed_at = now(), confirmations = 1 WHERE id = ?")
                .param(payment)
                .update();
          });
      return new Sample(wall, jvmCpu, jvmTasksCpu, threadCpu, pgCpu, inputs);
    }

    /** A ready 3-of-5 wallet (keys from a trusted dealer) with {@code size} confirmed coins. */
    private BenchWallet wallet(int size) {
      SecureRandom rng = new SecureRandom();
      TrustedDealer.DealtKeys dealt =
          TrustedDealer.generate(Secp256k1Sha256Taproot.INSTANCE, 5, 3, rng);
      PublicKeyPackage keys = dealt.publicKeyPackage();
      byte[] outputKey = keys.verifyingKey().encodeXOnly();
      String address = SegwitAddress.encode(Network.REGTEST, 1, outputKey);
      byte[] script = SegwitAddress.decode(address, Network.REGTEST).scriptPubKey();
      UUID id = UUID.randomUUID();
      jdbc.sql(
              "INSERT INTO wallets (id, name, threshold, participants, network, group_public_key,"
                  + " output_key, address, status, public_key_package, ready_at)"
                  + " VALUES (?, ?, 3, ?, ?, ?, ?, ?, 'ready', ?, now())")
          .params(
              id,
              "bench-" + size,
              new String[] {"node-1", "node-2", "node-3", "node-4", "node-5"},
              Network.REGTEST.id(),
              dealt.publicKeyPackage().verifyingKey().encodeCompressed(),
              outputKey,
              address,
              keys.encode())
          .update();
      // one statement: 64-hex txids, values log-uniform from 0.01 to 1 BTC, heights spread out
      database.executeWithoutResult(
          status -> {
            jdbc.sql("SELECT setseed(?)::text").param(size / 1e7 % 1).query(String.class).single();
            jdbc.sql(
                    "INSERT INTO utxos (txid, vout, wallet_id, value_sats, script_pub_key, height)"
                        + " SELECT md5(random()::text || g) || md5(random()::text || g),"
                        + " (random() * 3)::int, ?,"
                        + " exp(ln(1e6) + random() * (ln(1e8) - ln(1e6)))::bigint, ?,"
                        + " 800000 + g % 5000 FROM generate_series(1, ?) g")
                .params(id, script, size)
                .update();
          });
      return new BenchWallet(id, size, script);
    }

    /**
     * CPU time of this JVM's threads but the bench thread (GC, JIT compilers, pools, the chain
     * simulator), in nanoseconds: the bench thread's own is read precisely around the build, and
     * reading these files costs it CPU of its own that must stay out of the figure.
     */
    private long otherTasksCpu() {
      long total = 0;
      try (var tasks = Files.list(Path.of("/proc/self/task"))) {
        for (Path task : (Iterable<Path>) tasks::iterator) {
          if (!task.getFileName().toString().equals(benchTask)) {
            total += schedstat(task.resolve("schedstat"));
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return total;
    }

    private static long schedstat(Path file) {
      try {
        return Long.parseLong(Files.readString(file).trim().split(" ")[0]);
      } catch (IOException | RuntimeException gone) {
        return 0; // a thread that ended between the listing and the read
      }
    }

    /** CPU time of the postmaster and all its children (backends and background workers). */
    private long postgresCpu() {
      long total = cpuOf(postmaster);
      for (ProcessHandle child :
          ProcessHandle.of(postmaster).map(p -> p.children().toList()).orElse(List.of())) {
        total += cpuOf(child.pid());
      }
      return total;
    }

    private static long cpuOf(long pid) {
      try {
        Path schedstat = Path.of("/proc/" + pid + "/schedstat");
        if (Files.exists(schedstat)) {
          return Long.parseLong(Files.readString(schedstat).trim().split(" ")[0]);
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // utime and stime (fields 14 and 15), in clock ticks of 10 ms
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
      } catch (IOException | RuntimeException gone) {
        return 0; // a process that ended between the listing and the read
      }
    }

    private void report(
        String what, Map<Integer, List<Sample>> samples, Map<Integer, BenchWallet> wallets) {
      System.out.println();
      System.out.println(what + ":");
      System.out.println(
          "| coins | builds | wall p50 ms | wall p99 ms | wall mean ms | JVM CPU ms/build, MXBean"
              + " | JVM CPU ms/build, /proc tasks | bench thread CPU ms/build"
              + " | PostgreSQL CPU ms/build | JVM (/proc) + PG CPU ms/build | inputs/build"
              + " | free coins after |");
      System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      Map<Integer, double[]> figures = new LinkedHashMap<>();
      for (Map.Entry<Integer, List<Sample>> entry : samples.entrySet()) {
        List<Sample> list = entry.getValue();
        long[] walls = list.stream().mapToLong(Sample::wall).sorted().toArray();
        double p50 = ms(percentile(walls, 0.50));
        double p99 = ms(percentile(walls, 0.99));
        double wallMean = ms(mean(list.stream().mapToLong(Sample::wall).toArray()));
        double mxbean = ms(mean(list.stream().mapToLong(Sample::jvmCpu).toArray()));
        double jvm = ms(mean(list.stream().mapToLong(Sample::jvmTasksCpu).toArray()));
        double thread = ms(mean(list.stream().mapToLong(Sample::threadCpu).toArray()));
        double pgCpu = ms(mean(list.stream().mapToLong(Sample::pgCpu).toArray()));
        double inputs = list.stream().mapToInt(Sample::inputs).average().orElse(0);
        long free =
            jdbc.sql(
                    "SELECT count(*) FROM utxos WHERE wallet_id = ? AND reserved_by IS NULL"
                        + " AND spent_by IS NULL AND height IS NOT NULL")
                .param(wallets.get(entry.getKey()).id())
                .query(Long.class)
                .single();
        figures.put(entry.getKey(), new double[] {p50, p99, wallMean, jvm, thread, pgCpu, mxbean});
        System.out.printf(
            "| %,d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %,d |%n",
            entry.getKey(),
            list.size(),
            p50,
            p99,
            wallMean,
            mxbean,
            jvm,
            thread,
            pgCpu,
            jvm + pgCpu,
            inputs,
            free);
      }
      double[] base = figures.get(sizes.get(0));
      System.out.println();
      System.out.println(
          "| ratio | wall p50 | wall p99 | wall mean | JVM CPU, MXBean | JVM CPU, /proc tasks"
              + " | bench thread CPU | PostgreSQL CPU | JVM (/proc) + PG CPU |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (int size : sizes.subList(1, sizes.size())) {
        double[] f = figures.get(size);
        System.out.printf(
            "| %,d / %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
            size,
            sizes.get(0),
            f[0] / base[0],
            f[1] / base[1],
            f[2] / base[2],
            f[6] / base[6],
            f[3] / base[3],
            f[4] / base[4],
            f[5] / base[5],
            (f[3] + f[5]) / (base[3] + base[5]));
      }
    }

    /**
     * The plans of the queries on the build's path and of the funds total (the "insufficient funds"
     * reason only), for each size, with their execution times.
     */
    private void explain(Map<Integer, BenchWallet> wallets) {
      String free =
          " FROM utxos WHERE wallet_id = '%s' AND reserved_by IS NULL AND spent_by IS NULL"
              + " AND height IS NOT NULL";
      Map<String, String> queries = new LinkedHashMap<>();
      queries.put(
          "unlocked look (16 largest)",
          "SELECT txid, vout, value_sats, script_pub_key"
              + free
              + " ORDER BY value_sats DESC, txid, vout LIMIT 16");
      queries.put(
          "locked pick (largest, SKIP LOCKED)",
          "SELECT txid, vout, value_sats, script_pub_key"
              + free
              + " ORDER BY value_sats DESC, txid, vout LIMIT 1 FOR UPDATE SKIP LOCKED");
      queries.put(
          "freeTotal (insufficient funds only)", "SELECT coalesce(sum(value_sats), 0)" + free);
      System.out.println();
      for (Map.Entry<Integer, BenchWallet> wallet : wallets.entrySet()) {
        Map<String, String> all = new LinkedHashMap<>(queries);
        Optional<Coin> sixteenth =
            jdbc.sql(
                    "SELECT txid, vout, value_sats"
                        + free.formatted(wallet.getValue().id())
                        + " ORDER BY value_sats DESC, txid, vout OFFSET 15 LIMIT 1")
                .query((rs, n) -> new Coin(rs.getString(1), rs.getInt(2), rs.getLong(3)))
                .optional();
        sixteenth.ifPresent(
            c -> {
              // the look's next step, for a wallet that cannot pay with its 16 largest coins: as
              // Coins writes it, and as it was written before the index bounded its range
              String head = "SELECT txid, vout, value_sats, script_pub_key" + free + " AND ";
              String tail = " ORDER BY value_sats DESC, txid, vout LIMIT 32";
              String position = "(txid, vout) > ('" + c.txid() + "', " + c.vout() + ")";
              all.put(
                  "next step (32 coins after the 16th)",
                  head
                      + "value_sats <= "
                      + c.value()
                      + " AND (value_sats < "
                      + c.value()
                      + " OR "
                      + position
                      + ")"
                      + tail);
              all.put(
                  "next step, keyset as written before 8077b1c",
                  head
                      + "(value_sats < "
                      + c.value()
                      + " OR (value_sats = "
                      + c.value()
                      + " AND "
                      + position
                      + "))"
                      + tail);
            });
        for (Map.Entry<String, String> query : all.entrySet()) {
          List<String> plan =
              database.execute(
                  status -> {
                    status.setRollbackOnly(); // FOR UPDATE takes locks; nothing stays
                    return jdbc.sql(
                            "EXPLAIN (ANALYZE, BUFFERS) "
                                + query.getValue().formatted(wallet.getValue().id()))
                        .query(String.class)
                        .list();
                  });
          System.out.printf("-- %,d coins, %s:%n", wallet.getKey(), query.getKey());
          plan.forEach(line -> System.out.println("   " + line));
        }
      }
    }

    private record Coin(String txid, int vout, long value) {}

    private static String taprootAddress(SecureRandom rng) {
      PublicKeyPackage keys =
          TrustedDealer.generate(Secp256k1Sha256Taproot.INSTANCE, 3, 2, rng).publicKeyPackage();
      return SegwitAddress.encode(Network.REGTEST, 1, keys.verifyingKey().encodeXOnly());
    }

    private static long percentile(long[] sorted, double p) {
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static double mean(long[] values) {
      return Arrays.stream(values).average().orElse(0);
    }

    private static double ms(double nanos) {
      return nanos / 1e6;
    }
  }
}
