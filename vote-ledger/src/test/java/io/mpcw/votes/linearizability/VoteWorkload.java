package io.mpcw.votes.linearizability;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.mpcw.embedded.etcd.EtcdCluster;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.CastResult;
import io.mpcw.votes.Decision;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VoteLedgerException;
import io.mpcw.votes.VotePayload;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteSnapshot;
import io.mpcw.votes.linearizability.FinalStateInvariants.StoredDecision;
import io.mpcw.votes.linearizability.FinalStateInvariants.StoredTx;
import io.mpcw.votes.linearizability.FinalStateInvariants.StoredVote;
import io.mpcw.votes.linearizability.History.Op;
import io.mpcw.votes.linearizability.LedgerModel.Call;
import io.mpcw.votes.linearizability.LedgerModel.Cast;
import io.mpcw.votes.linearizability.LedgerModel.Counted;
import io.mpcw.votes.linearizability.LedgerModel.Decide;
import io.mpcw.votes.linearizability.LedgerModel.Duplicate;
import io.mpcw.votes.linearizability.LedgerModel.Indeterminate;
import io.mpcw.votes.linearizability.LedgerModel.Late;
import io.mpcw.votes.linearizability.LedgerModel.Observed;
import io.mpcw.votes.linearizability.LedgerModel.Outcome;
import io.mpcw.votes.linearizability.LedgerModel.Read;
import io.mpcw.votes.linearizability.LedgerModel.Stands;
import io.mpcw.votes.linearizability.LedgerModel.State;
import io.mpcw.votes.linearizability.LedgerModel.Vote;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Concurrent clients voting on many transactions through {@link EtcdVoteLedger}, every operation
 * recorded in a {@link History}. Transactions are released in small windows so that several clients
 * work on the same transaction at once: its five votes, a re-vote by one node with a different
 * record, one or two decides after some votes, and snapshot reads, in random order.
 */
final class VoteWorkload {
  static final int VOTERS = 5;
  static final List<String> NODES =
      java.util.stream.IntStream.rangeClosed(1, VOTERS).mapToObj(v -> "node-" + v).toList();
  static final Duration CALL_TIMEOUT = Duration.ofMillis(1000);
  static final Duration CAST_DEADLINE = Duration.ofMillis(2500);
  private static final int TXS_PER_WINDOW = 3;
  private static final long WINDOW_PERIOD_MS = 100;
  private static final int FINAL_READ_ATTEMPTS = 20;

  /** Bounds of one run. */
  record Settings(int threads, int clients, int maxTransactions, long seed) {}

  /** What a run produced. */
  record Run(
      List<Op> history,
      Map<UUID, StoredTx> finalState,
      List<String> unexpected,
      long workloadMillis) {}

  private record Task(UUID tx, Call call, VoteRecord record) {}

  private final EtcdCluster cluster;
  private final EtcdKeys keys;
  private final Settings settings;
  private final History history = new History();
  private final List<UUID> transactions = Collections.synchronizedList(new ArrayList<>());
  private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

  VoteWorkload(EtcdCluster cluster, EtcdKeys keys, Settings settings) {
    this.cluster = cluster;
    this.keys = keys;
    this.settings = settings;
  }

  /**
   * Runs the clients while {@code faults} runs on the calling thread, stops releasing new
   * transactions when it returns, lets every client finish, then reads the final state.
   */
  Run run(Runnable faults) throws InterruptedException {
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < settings.clients(); i++) {
      clients.add(cluster.client("root"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
    try {
      Feed feed = new Feed(new Random(settings.seed()));
      long started = System.nanoTime();
      // one ledger per client, shared by its workers as an orchestrator's workers share one: their
      // snapshots and decisions taken at once go to etcd coalesced (CoalescedTxns)
      List<EtcdVoteLedger> ledgers = clients.stream().map(this::ledger).toList();
      for (int worker = 0; worker < settings.threads(); worker++) {
        int id = worker;
        EtcdVoteLedger ledger = ledgers.get(worker % ledgers.size());
        pool.execute(() -> work(id, ledger, feed));
      }
      try {
        faults.run();
      } finally {
        feed.stop();
        pool.shutdown();
      }
      long bound = CAST_DEADLINE.toMillis() + 4 * CALL_TIMEOUT.toMillis() + 5_000;
      if (!pool.awaitTermination(bound, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("clients did not finish within " + bound + " ms");
      }
      long workloadMillis = (System.nanoTime() - started) / 1_000_000;
      EtcdVoteLedger reader = ledger(clients.get(0));
      Map<UUID, StoredTx> stored = new LinkedHashMap<>();
      for (UUID tx : List.copyOf(transactions)) {
        finalRead(reader, tx);
        stored.put(tx, readStored(clients.get(0).getKVClient(), tx));
      }
      return new Run(history.ops(), stored, List.copyOf(unexpected), workloadMillis);
    } finally {
      pool.shutdownNow();
      clients.forEach(Client::close);
    }
  }

  private EtcdVoteLedger ledger(Client client) {
    return new EtcdVoteLedger(client.getKVClient(), keys, CALL_TIMEOUT, CAST_DEADLINE);
  }

  private void work(int client, EtcdVoteLedger ledger, Feed feed) {
    try {
      for (Optional<Task> task = feed.next(); task.isPresent(); task = feed.next()) {
        execute(client, ledger, task.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      unexpected.add("client " + client + " died: " + e);
    }
  }

  private void execute(int client, EtcdVoteLedger ledger, Task task) {
    History.Pending pending = history.invoke(task.tx(), client, task.call());
    Outcome outcome;
    try {
      outcome = perform(ledger, task);
    } catch (VoteLedgerException e) {
      outcome = new Indeterminate(e.getMessage());
    } catch (RuntimeException e) {
      // not a failure the ledger declares: record it as indeterminate, and report it
      unexpected.add(task.call() + " threw " + e);
      outcome = new Indeterminate(e.toString());
    }
    history.complete(pending, outcome);
  }

  private Outcome perform(EtcdVoteLedger ledger, Task task) {
    if (task.call() instanceof Cast) {
      CastResult result = cast(ledger, task.record());
      if (result instanceof CastResult.Counted counted) {
        if (!counted.vote().equals(task.record())) {
          unexpected.add("cast of " + task.record() + " reported counting " + counted.vote());
        }
        return new Counted();
      }
      if (result instanceof CastResult.Duplicate duplicate) {
        return new Duplicate(duplicate.existing().signature());
      }
      return new Late();
    }
    if (task.call() instanceof Decide decide) {
      return new Stands(ledger.decide(task.tx(), decide.decision()));
    }
    VoteSnapshot snapshot = ledger.snapshot(task.tx(), NODES);
    if (!snapshot.malformed().isEmpty()) {
      unexpected.add("snapshot of " + task.tx() + " has malformed keys " + snapshot.malformed());
    }
    return new Observed(state(snapshot));
  }

  /**
   * Every other cast goes through {@link EtcdVoteLedger#castAll}, beside a vote on a transaction of
   * its own that no other client touches: the batched path must be as linearizable as the single
   * one, and its answers must come back to the vote they belong to.
   */
  private CastResult cast(EtcdVoteLedger ledger, VoteRecord record) {
    if ((record.signature().hashCode() & 1) == 0) {
      return ledger.cast(record);
    }
    UUID aside = UUID.randomUUID();
    VoteRecord beside =
        VoteRecord.unsigned(
                aside,
                record.nodeId(),
                Decision.APPROVE,
                "",
                new VotePayload(aside, aside, "bcrt1qbeside", 1).digest(Decision.APPROVE),
                record.signedAt())
            .withSignature(new byte[] {7});
    List<CastResult> results = ledger.castAll(List.of(beside, record));
    if (!results.get(0).equals(new CastResult.Counted(beside))) {
      unexpected.add("a batch's vote on a fresh transaction was " + results.get(0));
    }
    return results.get(1);
  }

  private static State state(VoteSnapshot snapshot) {
    Map<String, Vote> votes = new TreeMap<>();
    for (VoteRecord record : snapshot.votes()) {
      votes.put(record.nodeId(), new Vote(record.digest(), record.signature()));
    }
    return new State(votes, snapshot.decision());
  }

  /** A read after every client finished: recorded too, so the checker sees the final state. */
  private void finalRead(EtcdVoteLedger reader, UUID tx) {
    for (int attempt = 0; attempt < FINAL_READ_ATTEMPTS; attempt++) {
      History.Pending pending = history.invoke(tx, -1, new Read());
      try {
        history.complete(pending, new Observed(state(reader.snapshot(tx, NODES))));
        return;
      } catch (VoteLedgerException e) {
        history.complete(pending, new Indeterminate(e.getMessage()));
        sleep(250);
      }
    }
    throw new IllegalStateException("no final read of " + tx + " succeeded");
  }

  /** etcd's own view, read past the ledger: every voter's key and the decision, in one txn. */
  private StoredTx readStored(KV kv, UUID tx) {
    List<io.etcd.jetcd.op.Op> gets = new ArrayList<>();
    for (String node : NODES) {
      gets.add(io.etcd.jetcd.op.Op.get(bytes(keys.vote(tx, node)), GetOption.DEFAULT));
    }
    gets.add(io.etcd.jetcd.op.Op.get(bytes(keys.decision(tx)), GetOption.DEFAULT));
    List<GetResponse> answers;
    try {
      answers =
          kv.txn()
              .Then(gets.toArray(io.etcd.jetcd.op.Op[]::new))
              .commit()
              .get(5, TimeUnit.SECONDS)
              .getGetResponses();
    } catch (Exception e) {
      throw new IllegalStateException("final read of " + tx + " failed", e);
    }
    List<StoredVote> stored = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    for (int i = 0; i < NODES.size(); i++) {
      String node = NODES.get(i);
      for (KeyValue kvPair : answers.get(i).getKvs()) {
        String key = text(kvPair.getKey());
        try {
          VoteRecord record = EtcdVoteLedger.parse(text(kvPair.getValue()));
          if (!record.nodeId().equals(node) || !record.txId().equals(tx)) {
            malformed.add(key + " holds a vote of " + record.nodeId() + " on " + record.txId());
          }
          stored.add(
              new StoredVote(
                  node, record.digest(), record.signature(), kvPair.getCreateRevision()));
        } catch (IllegalArgumentException e) {
          malformed.add(key);
        }
      }
    }
    Optional<StoredDecision> decided =
        answers.get(NODES.size()).getKvs().stream()
            .findFirst()
            .map(
                d -> new StoredDecision(text(d.getValue()), d.getCreateRevision(), d.getVersion()));
    return new StoredTx(tx, stored, decided, malformed);
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  private static String text(ByteSequence bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Releases a window of transactions' operations whenever the last one is drained. */
  private final class Feed {
    private final Random random;
    private final Deque<Task> queue = new ArrayDeque<>();
    private boolean stopped;
    private long nextRelease;
    private int released;
    private int decides;

    Feed(Random random) {
      this.random = random;
    }

    synchronized Optional<Task> next() throws InterruptedException {
      while (true) {
        if (!queue.isEmpty()) {
          return Optional.of(queue.poll());
        }
        if (stopped || released >= settings.maxTransactions()) {
          return Optional.empty();
        }
        long wait = nextRelease - System.currentTimeMillis();
        if (wait <= 0) {
          release();
          nextRelease = System.currentTimeMillis() + WINDOW_PERIOD_MS;
        } else {
          wait(wait);
        }
      }
    }

    synchronized void stop() {
      stopped = true;
      notifyAll();
    }

    private void release() {
      List<List<Task>> window = new ArrayList<>();
      for (int i = 0; i < TXS_PER_WINDOW && released < settings.maxTransactions(); i++) {
        window.add(transaction());
        released++;
      }
      for (int position = 0; !window.isEmpty(); position++) {
        for (List<Task> tasks : window) {
          if (position < tasks.size()) {
            queue.add(tasks.get(position));
          }
        }
        int done = position + 1;
        window.removeIf(tasks -> tasks.size() <= done);
      }
      notifyAll();
    }

    private List<Task> transaction() {
      UUID tx = new UUID(random.nextLong(), random.nextLong());
      transactions.add(tx);
      VotePayload payload = new VotePayload(tx, new UUID(random.nextLong(), 1), "bcrt1qvote", 4200);
      List<Task> votes = new ArrayList<>();
      List<Task> others = new ArrayList<>();
      for (int v = 1; v <= VOTERS; v++) {
        Decision decision = random.nextInt(4) == 0 ? Decision.REJECT : Decision.APPROVE;
        votes.add(castTask(payload, NODES.get(v - 1), decision));
      }
      Decision again = random.nextBoolean() ? Decision.APPROVE : Decision.REJECT;
      others.add(castTask(payload, "node-" + (1 + random.nextInt(VOTERS)), again));
      others.add(new Task(tx, new Read(), null));
      others.add(new Task(tx, new Read(), null));
      Collections.shuffle(votes, random);
      List<Task> tasks = new ArrayList<>(votes);
      for (Task other : others) {
        tasks.add(random.nextInt(tasks.size() + 1), other);
      }
      tasks.add(5 + random.nextInt(4), decideTask(tx));
      if (random.nextInt(3) == 0) {
        tasks.add(3 + random.nextInt(tasks.size() - 2), decideTask(tx));
      }
      return tasks;
    }

    private Task castTask(VotePayload payload, String node, Decision decision) {
      byte[] signature = new byte[12];
      random.nextBytes(signature);
      VoteRecord record =
          VoteRecord.unsigned(
                  payload.txId(),
                  node,
                  decision,
                  "",
                  payload.digest(decision),
                  Instant.ofEpochSecond(1_790_000_000L))
              .withSignature(signature);
      return new Task(
          payload.txId(),
          new Cast(node, record.digest(), Base64.getEncoder().encodeToString(signature)),
          record);
    }

    private Task decideTask(UUID tx) {
      decides++;
      String decision = (random.nextBoolean() ? "approved#" : "rejected#") + decides;
      return new Task(tx, new Decide(decision), null);
    }
  }
}
