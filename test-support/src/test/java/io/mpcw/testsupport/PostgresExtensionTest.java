package io.mpcw.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.testsupport.junit.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresExtensionTest {
  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @Test
  void givesEachClassItsOwnDatabaseOnRealPostgres17() throws Exception {
    try (Connection c = DriverManager.getConnection(PG.jdbcUrl(), PG.username(), PG.password());
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT current_database(), current_setting('server_version_num')")) {
      assertThat(rs.next()).isTrue();
      assertThat(PG.jdbcUrl()).endsWith("/" + rs.getString(1));
      assertThat(Integer.parseInt(rs.getString(2))).isGreaterThanOrEqualTo(170000);
    }
  }
}
