package io.mpcw.chain;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach a bitcoind-compatible JSON-RPC endpoint.
 *
 * @param url base URL, e.g. {@code http://127.0.0.1:18443}
 * @param user HTTP Basic user ({@code rpcuser}); empty to send no credentials
 * @param password HTTP Basic password ({@code rpcpassword})
 * @param connectTimeout how long to wait for the TCP connection
 * @param requestTimeout how long to wait for a whole answer
 * @param wallet the node wallet that pays {@code sendtoaddress} (sent to {@code /wallet/<name>}),
 *     empty for the node's default wallet
 */
public record ChainClientConfig(
    URI url,
    String user,
    String password,
    Duration connectTimeout,
    Duration requestTimeout,
    Optional<String> wallet) {

  /** Generous enough for a loaded bitcoind, short enough for the orchestrator to retry. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** {@code scantxoutset} walks the whole UTXO set: on a real network it takes seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  public ChainClientConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(wallet, "wallet");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connect timeout must be positive");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("request timeout must be positive");
    }
  }

  /** A configuration with the default timeouts and the node's default wallet. */
  public static ChainClientConfig of(String url, String user, String password) {
    return new ChainClientConfig(
        URI.create(url),
        user,
        password,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT,
        Optional.empty());
  }

  /** A copy whose {@code sendtoaddress} calls go to the wallet {@code name}. */
  public ChainClientConfig withWallet(String name) {
    return new ChainClientConfig(
        url, user, password, connectTimeout, requestTimeout, Optional.of(name));
  }

  /** A copy with other timeouts. */
  public ChainClientConfig withTimeouts(Duration connect, Duration request) {
    return new ChainClientConfig(url, user, password, connect, request, wallet);
  }

  @Override
  public String toString() {
    // The password stays out of logs.
    return "ChainClientConfig[url=" + url + ", user=" + user + ", wallet=" + wallet + "]";
  }
}
