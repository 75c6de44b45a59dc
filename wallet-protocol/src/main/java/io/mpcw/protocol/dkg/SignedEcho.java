package io.mpcw.protocol.dkg;

import java.util.Objects;

/** One participant's echo of the round-1 set and its signature (see {@link DkgPart2Response}). */
public record SignedEcho(String echo, String signature) {
  public SignedEcho {
    Objects.requireNonNull(echo, "echo");
    Objects.requireNonNull(signature, "signature");
  }
}
