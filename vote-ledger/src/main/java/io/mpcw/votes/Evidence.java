package io.mpcw.votes;

/** Byzantine evidence against one node, as recorded with the round and shown in the API. */
public record Evidence(String nodeId, Kind kind, String detail) {

  public enum Kind {
    /** The vote record's signature does not verify against the node's certificate. */
    BAD_SIGNATURE,
    /** The vote is for a digest that is neither approval nor rejection of this payment. */
    DIGEST_MISMATCH,
    /** The node answered with a validly signed vote that differs from its record in etcd. */
    EQUIVOCATION,
    /** A vote record from a node that is not a certified member of this round. */
    UNKNOWN_NODE,
    /** A value under the node's vote key that is not a vote record. */
    MALFORMED_RECORD
  }
}
