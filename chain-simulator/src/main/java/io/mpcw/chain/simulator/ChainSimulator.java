package io.mpcw.chain.simulator;

import io.mpcw.chain.simulator.ledger.Block;
import io.mpcw.chain.simulator.ledger.BlockLog;
import io.mpcw.chain.simulator.ledger.Ledger;
import io.mpcw.chain.simulator.rpc.RpcServer;
import io.mpcw.chain.simulator.store.FileBlockLog;
import io.mpcw.crypto.address.Network;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running chain simulator: ledger, optional block file, RPC server and block timer. Embeddable in
 * tests:
 *
 * <pre>{@code
 * try (ChainSimulator chain = ChainSimulator.builder().credentials("u", "p").build().start()) {
 *   ChainClient client = BitcoindRpcClient.create(chain.url(), "u", "p");
 * }
 * }</pre>
 *
 * The builder's defaults suit tests (any free port, blocks only on demand); the command line's
 * defaults ({@link SimulatorSettings}) suit a local cluster (port 18443, a block every 2 s).
 */
public final class ChainSimulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChainSimulator.class);

  private final SimulatorSettings settings;
  private Ledger ledger;
  private Optional<FileBlockLog> blockFile = Optional.empty();
  private RpcServer server;
  private Optional<BlockTimer> timer = Optional.empty();

  private ChainSimulator(SimulatorSettings settings) {
    this.settings = settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  static ChainSimulator of(SimulatorSettings settings) {
    return new ChainSimulator(settings);
  }

  /**
   * Opens the block file (if any), replays it, binds the port and starts the block timer.
   *
   * @throws java.io.UncheckedIOException when the data directory or the port cannot be used
   * @throws IllegalStateException when started twice or the stored chain is inconsistent
   */
  public synchronized ChainSimulator start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    blockFile = settings.dataDir().map(FileBlockLog::open);
    List<Block> stored = blockFile.map(FileBlockLog::storedBlocks).orElse(List.of());
    try {
      ledger =
          Ledger.open(
              settings.network(), blockFile.map(f -> (BlockLog) f).orElse(BlockLog.NONE), stored);
      server =
          RpcServer.start(
              ledger,
              settings.bind(),
              settings.port(),
              settings.user().map(u -> Map.entry(u, settings.password().orElse(""))));
    } catch (RuntimeException e) {
      blockFile.ifPresent(FileBlockLog::close);
      throw e;
    }
    if (!settings.blockInterval().isZero()) {
      timer = Optional.of(new BlockTimer(ledger, settings.blockInterval()));
    }
    log.info(
        "chain simulator ({}) at height {} listening on {}:{}, blocks {}, {}",
        settings.network(),
        ledger.height(),
        settings.bind(),
        server.port(),
        settings.blockInterval().isZero() ? "on demand" : "every " + settings.blockInterval(),
        settings.dataDir().map(d -> "data in " + d).orElse("memory only"));
    return this;
  }

  /** The bound port (the chosen one when the builder asked for port 0). */
  public int port() {
    return running().port();
  }

  /** The RPC base URL, e.g. {@code http://127.0.0.1:18443}. */
  public String url() {
    String host = settings.bind().equals("0.0.0.0") ? "127.0.0.1" : settings.bind();
    return "http://" + host + ":" + port();
  }

  /** Mines one block with the whole mempool now; returns its hash. */
  public String mineNow() {
    running();
    return ledger.mineBlock().hash();
  }

  /** Height of the best block. */
  public long height() {
    running();
    return ledger.height();
  }

  public Network network() {
    return settings.network();
  }

  @Override
  public synchronized void close() {
    timer.ifPresent(BlockTimer::close);
    timer = Optional.empty();
    if (server != null) {
      server.close();
    }
    blockFile.ifPresent(FileBlockLog::close);
    blockFile = Optional.empty();
  }

  private synchronized RpcServer running() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server;
  }

  /** Settings for an embedded simulator; unset values take the test-friendly defaults. */
  public static final class Builder {
    private String bind = SimulatorSettings.DEFAULT_BIND;
    private int port;
    private Optional<String> user = Optional.empty();
    private Optional<String> password = Optional.empty();
    private Optional<Path> dataDir = Optional.empty();
    private Duration blockInterval = Duration.ZERO;
    private Network network = Network.REGTEST;

    private Builder() {}

    /** Address to bind; loopback by default. */
    public Builder bind(String bind) {
      this.bind = Objects.requireNonNull(bind);
      return this;
    }

    /** Port to listen on; 0 (the default) picks a free one, see {@link ChainSimulator#port()}. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** RPC credentials; without them the RPC needs no authentication. */
    public Builder credentials(String user, String password) {
      this.user = Optional.of(user);
      this.password = Optional.of(password);
      return this;
    }

    /** Directory of the block file; without one the chain lives in memory only. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = Optional.of(dataDir);
      return this;
    }

    /** Time between timed blocks; zero (the default) mines only on demand. */
    public Builder blockInterval(Duration blockInterval) {
      this.blockInterval = Objects.requireNonNull(blockInterval);
      return this;
    }

    public Builder network(Network network) {
      this.network = Objects.requireNonNull(network);
      return this;
    }

    public ChainSimulator build() {
      return new ChainSimulator(
          new SimulatorSettings(bind, port, user, password, dataDir, blockInterval, network));
    }
  }
}
