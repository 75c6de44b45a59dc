package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.transaction.WorkSignals;
import io.mpcw.types.transaction.TransactionState;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups across replicas: listens on PostgreSQL's {@code mpcw_work} channel (a trigger notifies
 * it at commit of every entry into a state that has a stage) and passes each state on to {@link
 * WorkSignals}. Holds one connection of the pool for as long as it runs. A broken connection is
 * reopened after a pause, and since notifications sent meanwhile are gone, every state is then
 * signalled once; the engine's poll covers the gap too.
 */
public class WorkNotifications implements AutoCloseable {
  static final String CHANNEL = "mpcw_work";
  private static final Logger log = LoggerFactory.getLogger(WorkNotifications.class);
  private static final int WAIT_MILLIS = 1_000;
  private static final long RECONNECT_MILLIS = 1_000;

  private final DataSource dataSource;
  private final WorkSignals signals;
  private volatile boolean running;
  private volatile boolean listening;
  private Thread thread;

  public WorkNotifications(DataSource dataSource, WorkSignals signals) {
    this.dataSource = dataSource;
    this.signals = signals;
  }

  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "pipeline-listen");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    boolean first = true;
    while (running) {
      try (Connection connection = dataSource.getConnection()) {
        try (Statement listen = connection.createStatement()) {
          listen.execute("LISTEN " + CHANNEL);
        }
        listening = true;
        if (!first) {
          Arrays.stream(TransactionState.values()).forEach(signals::workIn);
        }
        first = false;
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
          if (received == null) {
            continue;
          }
          for (PGNotification n : received) {
            TransactionState.fromWireName(n.getParameter()).ifPresent(signals::workIn);
          }
        }
      } catch (SQLException | RuntimeException e) {
        listening = false;
        if (!running) {
          return;
        }
        first = false;
        log.warn("listening for pipeline work failed, reconnecting: {}", e.toString());
        try {
          Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** Whether notifications are being received now. */
  public boolean listening() {
    return listening;
  }

  @Override
  public synchronized void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }
}
