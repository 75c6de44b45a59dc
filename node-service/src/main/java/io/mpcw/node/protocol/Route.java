package io.mpcw.node.protocol;

import java.util.function.Function;

/**
 * One message type the router serves besides votes: how its payload decodes, which participant
 * method answers it and under which reply type, and how it is counted.
 *
 * @param step the {@code round} tag of signing metrics (commit, share) or the DKG part (part1..3)
 */
public record Route<Q, R>(
    String type,
    Family family,
    String step,
    Class<Q> requestType,
    String replyType,
    Function<Q, R> serve) {

  /** Which protocol a route belongs to; each has its own metrics. */
  public enum Family {
    DKG,
    SIGNING,
    /** Key lifecycle: votes on refreshes, their rounds, commits and aborts. */
    LIFECYCLE
  }

  /** The last step of a DKG: its success is a finished key generation. */
  boolean completesDkg() {
    return family == Family.DKG && step.equals("part3");
  }

  /** Round 2 of signing, whose duration is the signing time. */
  boolean producesSignatureShares() {
    return family == Family.SIGNING && step.equals("share");
  }
}
