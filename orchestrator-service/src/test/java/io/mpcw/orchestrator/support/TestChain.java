package io.mpcw.orchestrator.support;

import io.mpcw.chain.BitcoindRpcClient;
import io.mpcw.chain.ChainClient;
import io.mpcw.chain.simulator.ChainSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The chain simulator every orchestrator test shares (one per JVM, blocks mined only on demand),
 * with a bitcoind client of its own for funding wallets and reading what reached the chain.
 */
public final class TestChain {
  public static final String USER = "mpcw-test";
  public static final String PASSWORD = "chain-password-for-tests";
  private static TestChain shared;

  private final ChainSimulator simulator;
  private final ChainClient client;
  private final HttpClient http = HttpClient.newHttpClient();

  private TestChain(ChainSimulator simulator) {
    this.simulator = simulator;
    this.client = BitcoindRpcClient.create(simulator.url(), USER, PASSWORD);
  }

  public static synchronized TestChain shared() {
    if (shared == null) {
      shared = new TestChain(ChainSimulator.builder().credentials(USER, PASSWORD).build().start());
    }
    return shared;
  }

  public String url() {
    return simulator.url();
  }

  public ChainClient client() {
    return client;
  }

  /** Pays {@code sats} to {@code address} from the faucet in a block of its own. */
  public void fund(String address, long... outputs) {
    for (long sats : outputs) {
      client.sendToAddress(address, sats);
    }
    simulator.mineNow();
  }

  public String mine() {
    return simulator.mineNow();
  }

  /** Forgets every unconfirmed transaction, as a node that restarted without its mempool. */
  public void dropMempool() {
    rpc("dropmempool", "[]");
  }

  /** One raw JSON-RPC call; returns the response body. */
  public String rpc(String method, String paramsJson) {
    String body =
        "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\""
            + method
            + "\",\"params\":"
            + paramsJson
            + "}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(simulator.url()))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
