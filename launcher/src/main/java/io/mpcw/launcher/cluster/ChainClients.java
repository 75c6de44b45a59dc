package io.mpcw.launcher.cluster;

import io.mpcw.chain.BitcoindRpcClient;
import io.mpcw.chain.ChainClient;

/** The chain the local cluster uses (the simulator, or the bitcoind given in the environment). */
public final class ChainClients {
  private ChainClients() {}

  public static ChainClient of(Credentials credentials) {
    return BitcoindRpcClient.create(
        credentials.chainRpcUrl(), credentials.chainUser(), credentials.chainPassword());
  }
}
