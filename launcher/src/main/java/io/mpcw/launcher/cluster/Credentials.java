package io.mpcw.launcher.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local cluster's secrets, made on first run and kept in {@code .mpcw/credentials.env} (mode
 * 0600): the submit and read API keys.
 */
public record Credentials(
    String submitKey, String readKey, String chainRpcUrl, String chainUser, String chainPassword) {
  static final String SUBMIT = "MPCW_SUBMIT_KEY";
  static final String READ = "MPCW_READ_KEY";
  static final String CHAIN_URL = "MPCW_CHAIN_RPC_URL";
  static final String CHAIN_USER = "MPCW_CHAIN_RPC_USER";
  static final String CHAIN_PASSWORD = "MPCW_CHAIN_RPC_PASSWORD";

  /** Whether the chain is the local simulator (else an external bitcoind the user configured). */
  public boolean simulatedChain(Layout layout) {
    return chainRpcUrl.equals(layout.chainRpcUrl());
  }

  /** Loads the file, or creates it with fresh random secrets; returns whether it was created. */
  public static Credentials loadOrCreate(Layout layout, boolean[] created) {
    Path file = layout.credentials();
    try {
      Map<String, String> values = new LinkedHashMap<>();
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          int eq = line.indexOf('=');
          if (eq > 0 && !line.startsWith("#")) {
            values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
          }
        }
      }
      boolean fresh = !values.containsKey(SUBMIT);
      values.putIfAbsent(SUBMIT, "mpcw_s_" + random());
      values.putIfAbsent(READ, "mpcw_r_" + random());
      // an external bitcoind given in the environment wins over the local simulator
      String external = System.getenv(CHAIN_URL);
      if (external != null && !external.isBlank()) {
        values.put(CHAIN_URL, external);
        values.put(CHAIN_USER, System.getenv().getOrDefault(CHAIN_USER, ""));
        values.put(CHAIN_PASSWORD, System.getenv().getOrDefault(CHAIN_PASSWORD, ""));
      } else {
        values.putIfAbsent(CHAIN_URL, layout.chainRpcUrl());
        values.putIfAbsent(CHAIN_USER, "mpcw");
        values.putIfAbsent(CHAIN_PASSWORD, random());
      }
      // services authenticate to each other with their cluster certificates, not a shared secret
      values.remove("MPCW_CLUSTER_TOKEN");
      created[0] = fresh;
      write(file, values);
      return new Credentials(
          values.get(SUBMIT),
          values.get(READ),
          values.get(CHAIN_URL),
          values.get(CHAIN_USER),
          values.get(CHAIN_PASSWORD));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }

  /** Adds or replaces entries (e.g. the chain's RPC URL) keeping the others. */
  static void put(Path file, Map<String, String> entries) {
    try {
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("#")) {
          values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
      values.putAll(entries);
      write(file, values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The node's share encryption key file (32 random bytes, base64), made once. Losing it makes the
   * node's wallet shares unreadable, so it is never rewritten.
   */
  static Path shareKey(Layout layout, String nodeId) {
    Path file = layout.shareKey(nodeId);
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the share key " + file, e);
    }
  }

  static String sha256Hex(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(Path file, Map<String, String> values) throws IOException {
    Files.createDirectories(file.getParent());
    List<String> lines = new java.util.ArrayList<>();
    lines.add("# mpc-wallet local cluster secrets: keep private (mode 0600), never commit");
    values.forEach((k, v) -> lines.add(k + "=" + v));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static String random() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
