package io.mpcw.types.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Liveness of a registered node, ordered from healthy to gone. */
public enum NodeStatus {
  @JsonProperty("active")
  ACTIVE,
  @JsonProperty("suspect")
  SUSPECT,
  @JsonProperty("dead")
  DEAD;

  /** The lowercase name used in JSON, the database and metric labels. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when this status is a later stage of silence than {@code other}. */
  public boolean isWorseThan(NodeStatus other) {
    return ordinal() > other.ordinal();
  }

  public static Optional<NodeStatus> fromWireName(String value) {
    return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
  }
}
