package io.mpcw.votes;

/** Checks a vote record's signature against the certificate of the node that claims it. */
@FunctionalInterface
public interface VoteSignatureVerifier {

  enum Result {
    VALID,
    INVALID,
    UNKNOWN_NODE
  }

  Result verify(String nodeId, byte[] payload, byte[] signature);
}
