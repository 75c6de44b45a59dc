package io.mpcw.testsupport.junit;

import io.mpcw.embedded.postgres.PostgresServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a database on the JVM's shared real PostgreSQL server.
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresExtension PG = new PostgresExtension("orchestrator_it");
 * }</pre>
 *
 * Classes that name the same database share it (and so can share one Spring context); the URL is
 * available before {@code beforeAll}, e.g. from a {@code @DynamicPropertySource} method.
 */
public final class PostgresExtension implements BeforeAllCallback {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private final String database;
  private volatile String jdbcUrl;

  public PostgresExtension(String database) {
    this.database = database;
  }

  /** A database of its own for this class. */
  public PostgresExtension() {
    this("test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    jdbcUrl();
  }

  public String jdbcUrl() {
    if (jdbcUrl == null) {
      synchronized (this) {
        if (jdbcUrl == null) {
          jdbcUrl = server().ensureDatabase(database);
        }
      }
    }
    return jdbcUrl;
  }

  public String username() {
    return server().user();
  }

  public String password() {
    return server().password();
  }

  public PostgresServer server() {
    return SharedInfrastructure.postgres();
  }
}
