package io.mpcw.launcher;

import io.mpcw.chain.BitcoindRpcClient;
import io.mpcw.chain.ChainClient;

/** The chain the local cluster uses (the simulator, or the bitcoind given in the environment). */
final class ChainClients {
  private ChainClients() {}

  static ChainClient of(Credentials credentials) {
    return BitcoindRpcClient.create(
        credentials.chainRpcUrl(), credentials.chainUser(), credentials.chainPassword());
  }
}
