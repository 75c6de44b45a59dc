package io.mpcw.chain.simulator;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar chain-simulator.jar [--port 18443] [--rpc-user u --rpc-password p] ...}. */
public final class ChainSimulatorMain {
  /**
   * The simulator's logging configuration has its own name: a {@code logback.xml} in this jar would
   * take over the logging of every application that embeds the simulator in its tests.
   */
  private static final String LOGBACK_CONFIG = "io/mpcw/chain/simulator/logback-simulator.xml";

  private static final String USAGE =
      """
      usage: chain-simulator [options]   (each flag also reads the environment variable shown)
        --bind ADDRESS          listen address (default 127.0.0.1)
        --port N                MPCW_CHAIN_RPC_PORT, default 18443 (0: any free port)
        --rpc-user USER         MPCW_CHAIN_RPC_USER, HTTP Basic user (none: RPC unauthenticated)
        --rpc-password PASS     MPCW_CHAIN_RPC_PASSWORD
        --data-dir DIR          MPCW_CHAIN_DATA_DIR, keep blocks on disk (none: memory only)
        --block-interval T      MPCW_CHAIN_BLOCK_INTERVAL, e.g. 2s, 500ms, 0 = on demand (default 2s)
        --network NAME          MPCW_CHAIN_NETWORK: regtest (default), testnet, signet, mainnet
      """;

  private ChainSimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
    }
    List<String> arguments = Arrays.asList(args);
    if (arguments.contains("--help") || arguments.contains("-h")) {
      System.out.print(USAGE);
      return;
    }
    SimulatorSettings settings;
    try {
      settings = SimulatorSettings.parse(arguments, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("chain-simulator: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    ChainSimulator simulator = ChainSimulator.of(settings).start();
    if (settings.user().isEmpty()) {
      org.slf4j.LoggerFactory.getLogger(ChainSimulatorMain.class)
          .warn("no --rpc-user/--rpc-password: the RPC accepts unauthenticated requests");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  stopped.countDown();
                },
                "chain-simulator-shutdown"));
    stopped.await();
  }
}
