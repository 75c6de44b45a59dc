package io.mpcw.orchestrator.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.orchestrator.support.OrchestratorTestBase;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link Coins#select} on real PostgreSQL: the spend is the one {@link CoinSelection} picks from
 * all of the wallet's free coins (largest first, across as many pages as it takes, ties included),
 * and what it costs follows the coins it needs, not the wallet's size: a wallet that cannot pay is
 * read once, in a number of queries that grows with the logarithm of its coins.
 */
class CoinsSelectTest extends OrchestratorTestBase {
  private static final BigDecimal RATE = new BigDecimal("2");
  private static final byte[] RECIPIENT = p2tr((byte) 0x11);
  private static final byte[] CHANGE = p2tr((byte) 0x22);

  @Autowired DataSource dataSource;
  @Autowired TransactionTemplate database;
  @Autowired Coins coins;

  private UUID wallet;

  @BeforeEach
  void newWallet() {
    wallet = UUID.randomUUID();
    jdbc.sql("INSERT INTO wallets (id, name, threshold, network) VALUES (?, ?, 3, 'regtest')")
        .params(wallet, "coins-" + wallet)
        .update();
  }

  @Test
  void aWalletThatCannotPayIsReadOnceInLogarithmicallyManyQueries() {
    coinsOf(2_000, "1000");
    Counting counting = new Counting(dataSource);
    Coins counted = new Coins(JdbcClient.create(counting));

    Optional<CoinSelection.Selected> spend =
        counted.select(wallet, 5_000_000, RATE, RECIPIENT, CHANGE);

    assertThat(spend).isEmpty();
    assertThat(counting.rows.get()).as("coins read").isEqualTo(2_000);
    // 16, 32, …, 1024 coins per query: 7 reach 2,000 (one query per 16 coins would be 125)
    assertThat(counting.queries.get()).as("queries").isLessThanOrEqualTo(8);
  }

  @Test
  void aPaymentNeedingManyCoinsTakesTheLargestOnesAcrossPages() {
    // 300 coins of 1,000 … 300,000 sats, shuffled in the table by their txids
    coinsOf(300, "1000 * g");
    long amount = 5_000_000; // the 18 largest and part of the 19th, with fees

    CoinSelection.Selected expected =
        CoinSelection.select(coins.free(wallet), amount, RATE, RECIPIENT, CHANGE).orElseThrow();
    CoinSelection.Selected looked =
        coins.select(wallet, amount, RATE, RECIPIENT, CHANGE).orElseThrow();
    UUID payment = payment();
    CoinSelection.Selected locked =
        database.execute(status -> coins.take(payment, wallet, amount, RATE, RECIPIENT, CHANGE));

    assertThat(expected.coins()).hasSizeGreaterThan(16);
    assertThat(looked).usingRecursiveComparison().isEqualTo(expected);
    assertThat(locked).usingRecursiveComparison().isEqualTo(expected);
    assertThat(reservedBy(payment)).isEqualTo(expected.coins().size());
  }

  @Test
  void coinsOfEqualValueArePagedWithoutSkippingOrRepeatingOne() {
    coinsOf(100, "5000");
    long amount = 60 * 5_000 - 10_000; // about 60 of them, less their fee's worth

    CoinSelection.Selected expected =
        CoinSelection.select(coins.free(wallet), amount, RATE, RECIPIENT, CHANGE).orElseThrow();
    CoinSelection.Selected looked =
        coins.select(wallet, amount, RATE, RECIPIENT, CHANGE).orElseThrow();

    assertThat(looked.coins()).hasSameSizeAs(expected.coins()).hasSizeGreaterThan(32);
    assertThat(looked.coins().stream().map(Coin::outPoint).distinct())
        .hasSize(looked.coins().size());
    assertThat(looked.feeSats()).isEqualTo(expected.feeSats());
    assertThat(looked.changeSats()).isEqualTo(expected.changeSats());
  }

  @Test
  void aWalletThatCannotPayTheFeeOnTopSelectsNothingAndTakingReservesNothing() {
    coinsOf(40, "1000");
    UUID payment = payment();

    assertThatThrownBy(
            () ->
                database.executeWithoutResult(
                    s -> coins.take(payment, wallet, 40_000, RATE, RECIPIENT, CHANGE)))
        .isInstanceOf(Coins.NothingToTakeException.class);

    assertThat(coins.select(wallet, 40_000, RATE, RECIPIENT, CHANGE)).isEmpty();
    assertThat(reservedBy(payment)).as("the coins taken before it ran dry, rolled back").isZero();
    assertThat(coins.free(wallet)).hasSize(40);
  }

  @Test
  void takingReservesEachCoinByTheStatementThatLocksIt() {
    coinsOf(50, "1000 * g");
    Counting counting = new Counting(dataSource);
    Coins counted = new Coins(JdbcClient.create(counting));
    UUID payment = payment();
    long amount = 140_000; // the three largest (50,000 + 49,000 + 48,000) less their fee's worth

    // outside a transaction (each statement commits alone): this counts statements
    CoinSelection.Selected taken = counted.take(payment, wallet, amount, RATE, RECIPIENT, CHANGE);

    assertThat(taken.coins())
        .extracting(Coin::valueSats)
        .containsExactly(50_000L, 49_000L, 48_000L);
    assertThat(reservedBy(payment)).isEqualTo(3);
    assertThat(counting.queries.get()).as("statements, one per coin taken").isEqualTo(3);
  }

  @Test
  void concurrentTakersTakeDisjointCoinsWithoutWaitingOrFailing() throws Exception {
    coinsOf(200, "1000 + g");
    int takers = 8;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(takers);
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(takers);
    List<UUID> payments = new java.util.ArrayList<>();
    List<java.util.concurrent.Future<CoinSelection.Selected>> results = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < takers; i++) {
        UUID payment = payment();
        payments.add(payment);
        results.add(
            pool.submit(
                () -> {
                  together.await();
                  // each needs about three coins: 3,000 sats and the fee
                  return database.execute(
                      s -> coins.take(payment, wallet, 3_000, RATE, RECIPIENT, CHANGE));
                }));
      }
      List<String> taken = new java.util.ArrayList<>();
      for (var result : results) {
        result.get().coins().forEach(c -> taken.add(c.txid() + ":" + c.vout()));
      }
      assertThat(taken).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(2 * takers);
      for (UUID payment : payments) {
        assertThat(reservedBy(payment)).isGreaterThanOrEqualTo(2);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A payment of the wallet, in {@code approved}: a coin is reserved by a payment that exists. */
  private UUID payment() {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "INSERT INTO transactions (id, wallet_id, recipient, amount_sats, fee_rate_sat_vb,"
                + " state, created_at, updated_at, state_entered_at, next_attempt_at)"
                + " VALUES (?, ?, 'bcrt1p-unused', 1000, 2, 'approved', now(), now(), now(), now())")
        .params(id, wallet)
        .update();
    return id;
  }

  private int reservedBy(UUID payment) {
    return jdbc.sql("SELECT count(*) FROM utxos WHERE reserved_by = ?")
        .param(payment)
        .query(Integer.class)
        .single();
  }

  /** {@code count} confirmed coins of the wallet; {@code value} is SQL over {@code g} = 1…count. */
  private void coinsOf(int count, String value) {
    jdbc.sql(
            "INSERT INTO utxos (txid, vout, wallet_id, value_sats, script_pub_key, height)"
                + " SELECT md5(:wallet || g) || md5(g || :wallet), g % 3, :walletId, "
                + value
                + ", :script, 100 FROM generate_series(1, :count) g")
        .param("wallet", wallet.toString())
        .param("walletId", wallet)
        .param("script", CHANGE)
        .param("count", count)
        .update();
  }

  private static byte[] p2tr(byte fill) {
    byte[] script = new byte[34];
    Arrays.fill(script, fill);
    script[0] = 0x51;
    script[1] = 0x20;
    return script;
  }

  /** Counts the queries sent and the rows read through it, on the real connections. */
  private static final class Counting extends DelegatingDataSource {
    final AtomicInteger queries = new AtomicInteger();
    final AtomicInteger rows = new AtomicInteger();

    Counting(DataSource target) {
      super(target);
    }

    @Override
    public Connection getConnection() throws java.sql.SQLException {
      Connection connection = super.getConnection();
      return proxy(
          Connection.class,
          connection,
          (p, m, a) -> {
            Object result = invoke(connection, m, a);
            return m.getName().equals("prepareStatement")
                ? statement((PreparedStatement) result)
                : result;
          });
    }

    private PreparedStatement statement(PreparedStatement statement) {
      return proxy(
          PreparedStatement.class,
          statement,
          (p, m, a) -> {
            Object result = invoke(statement, m, a);
            if (m.getName().equals("executeQuery")) {
              queries.incrementAndGet();
              ResultSet rs = (ResultSet) result;
              return proxy(
                  ResultSet.class,
                  rs,
                  (p2, m2, a2) -> {
                    Object next = invoke(rs, m2, a2);
                    if (m2.getName().equals("next") && Boolean.TRUE.equals(next)) {
                      rows.incrementAndGet();
                    }
                    return next;
                  });
            }
            return result;
          });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] a)
        throws Throwable {
      try {
        return m.invoke(target, a);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    private static <T> T proxy(Class<T> type, T target, InvocationHandler handler) {
      return type.cast(
          Proxy.newProxyInstance(
              CoinsSelectTest.class.getClassLoader(),
              List.of(type).toArray(Class<?>[]::new),
              handler));
    }
  }
}
