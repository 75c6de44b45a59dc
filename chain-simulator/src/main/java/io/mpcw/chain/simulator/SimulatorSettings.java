package io.mpcw.chain.simulator;

import io.mpcw.crypto.address.Network;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the simulator runs, from command-line flags and environment variables (flags win).
 *
 * @param bind address to listen on ({@code --bind}, default 127.0.0.1)
 * @param port RPC port ({@code --port} / {@code MPCW_CHAIN_RPC_PORT}, default 18443)
 * @param user RPC user ({@code --rpc-user} / {@code MPCW_CHAIN_RPC_USER}); empty: no authentication
 * @param password RPC password ({@code --rpc-password} / {@code MPCW_CHAIN_RPC_PASSWORD})
 * @param dataDir block file directory ({@code --data-dir} / {@code MPCW_CHAIN_DATA_DIR}); empty:
 *     memory only
 * @param blockInterval time between blocks ({@code --block-interval} / {@code
 *     MPCW_CHAIN_BLOCK_INTERVAL}: {@code 2s}, {@code 500ms}, {@code 1m}, {@code 0} for on demand
 *     only; default 2s)
 * @param network address network ({@code --network} / {@code MPCW_CHAIN_NETWORK}, default regtest)
 */
public record SimulatorSettings(
    String bind,
    int port,
    Optional<String> user,
    Optional<String> password,
    Optional<Path> dataDir,
    Duration blockInterval,
    Network network) {

  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 18443;
  public static final Duration DEFAULT_BLOCK_INTERVAL = Duration.ofSeconds(2);

  /** Each flag and the environment variable it overrides (empty: flag only). */
  private static final Map<String, String> FLAGS =
      Map.of(
          "--bind", "",
          "--port", "MPCW_CHAIN_RPC_PORT",
          "--rpc-user", "MPCW_CHAIN_RPC_USER",
          "--rpc-password", "MPCW_CHAIN_RPC_PASSWORD",
          "--data-dir", "MPCW_CHAIN_DATA_DIR",
          "--block-interval", "MPCW_CHAIN_BLOCK_INTERVAL",
          "--network", "MPCW_CHAIN_NETWORK");

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

  public SimulatorSettings {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is not in 0..65535");
    }
    if (blockInterval.isNegative()) {
      throw new IllegalArgumentException("the block interval cannot be negative");
    }
    if (user.isPresent() != password.isPresent()) {
      throw new IllegalArgumentException("set both the RPC user and password, or neither");
    }
  }

  /**
   * Settings from {@code --flag value} / {@code --flag=value} arguments over {@code env}.
   *
   * @throws IllegalArgumentException naming the bad flag or value
   */
  public static SimulatorSettings parse(List<String> args, Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    FLAGS.forEach(
        (flag, variable) -> {
          String value = variable.isEmpty() ? null : env.get(variable);
          if (value != null && !value.isBlank()) {
            values.put(flag, value.trim());
          }
        });
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      int eq = arg.indexOf('=');
      String flag = eq > 0 ? arg.substring(0, eq) : arg;
      if (!FLAGS.containsKey(flag)) {
        throw new IllegalArgumentException("unknown option " + arg);
      }
      if (eq > 0) {
        values.put(flag, arg.substring(eq + 1));
      } else if (i + 1 < args.size()) {
        values.put(flag, args.get(++i));
      } else {
        throw new IllegalArgumentException(flag + " needs a value");
      }
    }
    return new SimulatorSettings(
        values.getOrDefault("--bind", DEFAULT_BIND),
        port(values.getOrDefault("--port", Integer.toString(DEFAULT_PORT))),
        Optional.ofNullable(values.get("--rpc-user")),
        Optional.ofNullable(values.get("--rpc-password")),
        Optional.ofNullable(values.get("--data-dir")).map(Path::of),
        Optional.ofNullable(values.get("--block-interval"))
            .map(SimulatorSettings::duration)
            .orElse(DEFAULT_BLOCK_INTERVAL),
        Network.parse(values.getOrDefault("--network", Network.REGTEST.id())));
  }

  /**
   * {@code 2s}, {@code 500ms}, {@code 1m}, a bare number of seconds, or ISO-8601 ({@code PT2S}).
   */
  static Duration duration(String text) {
    if (text.startsWith("PT") || text.startsWith("pt")) {
      return Duration.parse(text);
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "block interval '" + text + "' is not like 2s, 500ms, 1m or 0");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofSeconds(amount);
    };
  }

  private static int port(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port '" + text + "' is not a number", e);
    }
  }
}
