package io.mpcw.votes;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A node's vote. */
public enum Decision {
  APPROVE((byte) 1),
  REJECT((byte) 2);

  private final byte code;

  Decision(byte code) {
    this.code = code;
  }

  byte code() {
    return code;
  }

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Decision parse(String name) {
    for (Decision d : values()) {
      if (d.wireName().equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("decision must be approve or reject, not " + name);
  }
}
