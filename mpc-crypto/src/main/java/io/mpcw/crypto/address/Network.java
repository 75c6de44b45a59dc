package io.mpcw.crypto.address;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Bitcoin networks the wallet can run on, with the human-readable part (HRP) of their segwit
 * addresses.
 *
 * <p>Testnet and signet share the HRP {@code tb}: an address alone cannot tell them apart, so
 * decoding always takes the network the caller expects.
 */
public enum Network {
  MAINNET("bc"),
  TESTNET("tb"),
  SIGNET("tb"),
  REGTEST("bcrt");

  private final String hrp;

  Network(String hrp) {
    this.hrp = hrp;
  }

  /** The segwit address prefix, e.g. {@code bc}. */
  public String hrp() {
    return hrp;
  }

  /** The lowercase name used in configuration and JSON, e.g. {@code mainnet}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Finds the network with the lowercase name {@code name} ({@code mainnet}, {@code signet}...).
   */
  public static Optional<Network> fromId(String name) {
    return Arrays.stream(values()).filter(n -> n.id().equals(name)).findFirst();
  }

  /**
   * Like {@link #fromId} but for configuration values that must be valid.
   *
   * @throws IllegalArgumentException naming the accepted values when {@code name} is not one
   */
  public static Network parse(String name) {
    return fromId(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown network '"
                        + name
                        + "', expected one of "
                        + Arrays.stream(values())
                            .map(Network::id)
                            .collect(Collectors.joining(", "))));
  }

  @Override
  public String toString() {
    return id();
  }
}
