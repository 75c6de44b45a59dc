package io.mpcw.embedded.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL 17 server: embedded (zonky binaries, started as a child process) or an external
 * one named by {@code MPCW_DB_URL}. Databases for services and test classes are created on it by
 * name.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String ENV_URL = "MPCW_DB_URL";
  public static final String ENV_USER = "MPCW_DB_USER";
  public static final String ENV_PASSWORD = "MPCW_DB_PASSWORD";
  private static final Pattern DB_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final Optional<EmbeddedPostgres> embedded;
  private final String baseUrl;
  private final String user;
  private final String password;

  private PostgresServer(
      Optional<EmbeddedPostgres> embedded, String baseUrl, String user, String password) {
    this.embedded = embedded;
    this.baseUrl = baseUrl;
    this.user = user;
    this.password = password;
  }

  /**
   * Starts an embedded server.
   *
   * @param dataDir keep data here across restarts, or empty for a throw-away directory
   * @param port a fixed port, or 0 for a free one
   */
  public static PostgresServer startEmbedded(Optional<Path> dataDir, int port) {
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("max_connections", "300")
              // zonky's defaults trade durability for test speed (fsync and synchronous_commit
              // off): a commit the orchestrator acknowledged (a 201, a state a node acted on)
              // would be lost if PostgreSQL were killed before its WAL writer ran
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on");
      if (port > 0) {
        builder.setPort(port);
      }
      dataDir.ifPresent(dir -> builder.setDataDirectory(dir.toFile()).setCleanDataDirectory(false));
      EmbeddedPostgres pg = builder.start();
      String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/";
      return new PostgresServer(Optional.of(pg), url, "postgres", "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start: " + e.getMessage(), e);
    }
  }

  /** An external server from {@code MPCW_DB_URL} when set, else a fresh embedded one. */
  public static PostgresServer fromEnvironmentOrEmbedded() {
    String url = System.getenv(ENV_URL);
    if (url == null || url.isBlank()) {
      return startEmbedded(Optional.empty(), 0);
    }
    String base = url.substring(0, url.lastIndexOf('/') + 1);
    return new PostgresServer(
        Optional.empty(),
        base,
        Optional.ofNullable(System.getenv(ENV_USER)).orElse("postgres"),
        Optional.ofNullable(System.getenv(ENV_PASSWORD)).orElse("postgres"));
  }

  public String jdbcUrl(String database) {
    return baseUrl + database;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  public int port() {
    return embedded.map(EmbeddedPostgres::getPort).orElse(-1);
  }

  /** Creates {@code name} unless it exists; returns its JDBC URL. */
  public String ensureDatabase(String name) {
    if (!DB_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain database name: " + name);
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
        Statement s = c.createStatement()) {
      boolean exists;
      try (ResultSet rs =
          s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        exists = rs.next();
      }
      if (!exists) {
        s.execute("CREATE DATABASE " + name);
      }
      return jdbcUrl(name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    embedded.ifPresent(
        pg -> {
          try {
            pg.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
