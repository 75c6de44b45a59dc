package io.mpcw.orchestrator.wallet;

import java.util.Arrays;
import java.util.Locale;

/** Where a wallet's key stands: being generated, usable, or given up (with a reason). */
public enum WalletStatus {
  PENDING,
  READY,
  FAILED;

  /** The lowercase name used in the database and in JSON. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static WalletStatus fromWireName(String name) {
    return Arrays.stream(values())
        .filter(s -> s.wireName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("unknown wallet status " + name));
  }
}
