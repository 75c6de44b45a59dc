package io.mpcw.launcher.cluster;

import io.mpcw.chain.ChainClient;
import io.mpcw.chain.ChainRejectedException;
import io.mpcw.chain.ChainUnavailableException;
import java.util.List;

/**
 * {@code ./mpcw fund <address|default> <sats> [--outputs K]}: pays an address from the chain's
 * faucet (the simulator mints; a bitcoind pays from its own wallet), split into K outputs so
 * several payments can run at once, and on the simulator mines a block so the coins are spendable
 * at once.
 */
public final class FundCommand {
  private final Layout layout;
  private final Credentials credentials;
  private final ChainClient chain;

  public FundCommand(Layout layout, Credentials credentials, ChainClient chain) {
    this.layout = layout;
    this.credentials = credentials;
    this.chain = chain;
  }

  public int run(String payee, long sats, int outputs) {
    String address = payee;
    if ("default".equals(address)) {
      address =
          OrchestratorApi.local(layout, credentials)
              .defaultWallet()
              .filter(w -> "ready".equals(w.path("status").asText()))
              .map(w -> w.path("address").asText())
              .orElse(null);
      if (address == null) {
        System.err.println(
            "the default wallet is not ready (is the cluster up? './mpcw status' tells)");
        return 1;
      }
    }
    long each = sats / outputs;
    if (each < 330) {
      System.err.println("each output would be " + each + " sats, below the 330-sat dust limit");
      return ExitCode.USAGE;
    }
    try {
      for (int i = 0; i < outputs; i++) {
        String txid = chain.sendToAddress(address, each);
        System.out.println("paid " + each + " sats to " + address + " in " + txid);
      }
      if (credentials.simulatedChain(layout)) {
        List<String> blocks = chain.mine(1, address);
        System.out.println(
            "mined block " + blocks.get(0) + " at height " + chain.blockHeight() + ": confirmed");
      } else {
        System.out.println("the payments confirm with the chain's next block");
      }
      return 0;
    } catch (ChainRejectedException | ChainUnavailableException e) {
      System.err.println("the chain refused or is unreachable: " + e.getMessage());
      return 1;
    }
  }
}
