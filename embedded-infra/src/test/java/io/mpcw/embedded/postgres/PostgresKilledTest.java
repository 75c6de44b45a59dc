package io.mpcw.embedded.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server keeps every commit it acknowledged when it is killed without warning: the
 * orchestrator answers 201 and nodes act on states as soon as PostgreSQL says committed.
 */
class PostgresKilledTest {
  private static final int COMMITS = 200;

  @TempDir Path dataDir;

  @Test
  void everyAcknowledgedCommitSurvivesKill9OfTheWholeServer() throws Exception {
    PostgresServer first = PostgresServer.startEmbedded(Optional.of(dataDir), 0);
    String url = first.ensureDatabase("durability");
    long postmaster;
    try (Connection c = DriverManager.getConnection(url, first.user(), first.password())) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE acknowledged (n int PRIMARY KEY)");
        s.execute("CHECKPOINT"); // the table itself is on disk: only the rows are in question
        postmaster = backendParent(s);
      }
      // one autocommit transaction each: executeUpdate returning is the acknowledgement
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO acknowledged VALUES (?)")) {
        for (int n = 0; n < COMMITS; n++) {
          insert.setInt(1, n);
          insert.executeUpdate();
        }
      }
      killWholeServer(postmaster);
    }
    closeDead(first);

    try (PostgresServer second = PostgresServer.startEmbedded(Optional.of(dataDir), 0);
        Connection c =
            DriverManager.getConnection(
                second.jdbcUrl("durability"), second.user(), second.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), current_setting('synchronous_commit') FROM acknowledged")) {
      rs.next();
      assertThat(rs.getInt(1)).as("acknowledged commits after kill -9").isEqualTo(COMMITS);
      assertThat(rs.getString(2)).isEqualTo("on");
    }
  }

  /** Releases the first instance's hold on the data directory; stopping a dead server fails. */
  private static void closeDead(PostgresServer server) {
    try {
      server.close();
    } catch (RuntimeException expected) {
      // pg_ctl stop finds no server
    }
  }

  private static long backendParent(Statement s) throws Exception {
    try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return ProcessHandle.of(rs.getInt(1)).orElseThrow().parent().orElseThrow().pid();
    }
  }

  /** SIGKILL to the postmaster and every child at once: no WAL writer gets to flush anything. */
  private static void killWholeServer(long postmasterPid) throws Exception {
    ProcessHandle postmaster = ProcessHandle.of(postmasterPid).orElseThrow();
    List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
    all.add(postmaster);
    List<String> command = new ArrayList<>(List.of("kill", "-KILL"));
    all.forEach(p -> command.add(Long.toString(p.pid())));
    new ProcessBuilder(command).inheritIO().start().waitFor();
    for (ProcessHandle p : all) {
      p.onExit().get();
    }
    assertThat(Files.exists(Path.of("/proc", Long.toString(postmasterPid)))).isFalse();
  }
}
