package io.mpcw.orchestrator.wallet;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a wallet's key stands: being generated, usable, or given up (with a reason), with the one
 * transition table every status change in {@link Wallets} is derived from.
 *
 * <pre>
 * pending → ready | failed | pending (a default wallet's attempt claimed again after its lease)
 * failed  → pending (the default wallet's next attempt) | failed (retired, or a new reason)
 * ready   → nothing: a wallet with a key keeps it (refresh and reshare change the epoch, not this)
 * </pre>
 */
public enum WalletStatus {
  PENDING,
  READY,
  FAILED;

  private static final Map<WalletStatus, Set<WalletStatus>> SUCCESSORS =
      new EnumMap<>(WalletStatus.class);

  static {
    SUCCESSORS.put(PENDING, EnumSet.of(PENDING, READY, FAILED));
    SUCCESSORS.put(FAILED, EnumSet.of(PENDING, FAILED));
    SUCCESSORS.put(READY, EnumSet.noneOf(WalletStatus.class));
  }

  /** The lowercase name used in the database and in JSON. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean canMoveTo(WalletStatus next) {
    return SUCCESSORS.get(this).contains(next);
  }

  public Set<WalletStatus> successors() {
    return Collections.unmodifiableSet(SUCCESSORS.get(this));
  }

  /**
   * Checks a move against the table.
   *
   * @throws IllegalMove when the table does not allow it
   */
  public WalletStatus checkMoveTo(WalletStatus next) {
    if (!canMoveTo(next)) {
      throw new IllegalMove(this, next);
    }
    return next;
  }

  /**
   * The wire names of every status the table lets move to {@code next}: what a conditional UPDATE
   * binds as {@code status = ANY(?)}, so the database applies only moves the table allows.
   */
  static String[] wireNamesMovingTo(WalletStatus next) {
    String[] from =
        Arrays.stream(values())
            .filter(s -> s.canMoveTo(next))
            .map(WalletStatus::wireName)
            .toArray(String[]::new);
    if (from.length == 0) {
      throw new IllegalArgumentException("no wallet status moves to " + next.wireName());
    }
    return from;
  }

  static WalletStatus fromWireName(String name) {
    return Arrays.stream(values())
        .filter(s -> s.wireName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("unknown wallet status " + name));
  }

  /** A wallet status change the table does not allow; never applied. */
  public static final class IllegalMove extends IllegalStateException {
    private final WalletStatus from;
    private final WalletStatus to;

    IllegalMove(WalletStatus from, WalletStatus to) {
      super("wallet status " + from.wireName() + " → " + to.wireName() + " is not allowed");
      this.from = from;
      this.to = to;
    }

    public WalletStatus from() {
      return from;
    }

    public WalletStatus to() {
      return to;
    }
  }
}
