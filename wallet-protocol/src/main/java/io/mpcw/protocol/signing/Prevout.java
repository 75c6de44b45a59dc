package io.mpcw.protocol.signing;

import java.util.Objects;

/** The output an input spends: its value and script, which the BIP-341 sighash commits to. */
public record Prevout(long valueSats, String scriptPubKey) {
  public Prevout {
    Objects.requireNonNull(scriptPubKey, "script_pub_key");
    if (valueSats < 0) {
      throw new IllegalArgumentException("value_sats must not be negative");
    }
  }
}
