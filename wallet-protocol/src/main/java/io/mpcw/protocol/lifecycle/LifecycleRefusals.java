package io.mpcw.protocol.lifecycle;

import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The refusals every lifecycle step shares, worded once: a peer at fault is named ({@code
 * culprit=node-3: ...}) so the orchestrator can route around it; a malformed request is not blamed
 * on any participant.
 */
final class LifecycleRefusals {
  private LifecycleRefusals() {}

  static ProtocolException culprit(String node, String why) {
    return new ProtocolException(ProtocolErrors.LIFECYCLE_CULPRIT, "culprit=" + node + ": " + why);
  }

  static ProtocolException malformed(String why) {
    return new ProtocolException(ProtocolErrors.MALFORMED_REQUEST, why);
  }

  /** The contributions of a round must come from exactly the expected nodes, no more, no fewer. */
  static void requireExactly(Set<String> expected, Set<String> actual, String what) {
    if (!actual.equals(expected)) {
      throw malformed(
          what
              + " must come from exactly "
              + new TreeSet<>(expected)
              + ", got "
              + new TreeSet<>(actual));
    }
  }

  /** Hex that {@code node} sent; if it does not decode, {@code node} is at fault. */
  static byte[] decodeHex(String node, String hex) {
    try {
      return Hex.decode(hex);
    } catch (IllegalArgumentException e) {
      throw culprit(node, "not hex");
    }
  }
}
