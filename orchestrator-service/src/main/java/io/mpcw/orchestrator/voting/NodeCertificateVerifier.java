package io.mpcw.orchestrator.voting;

import io.mpcw.transport.pki.RecordSignatures;
import io.mpcw.votes.VoteSignatureVerifier;
import java.security.cert.X509Certificate;
import java.util.Map;

/** Verifies vote signatures against the certificates the node directory trusts. */
record NodeCertificateVerifier(Map<String, X509Certificate> certificates)
    implements VoteSignatureVerifier {

  @Override
  public Result verify(String nodeId, byte[] payload, byte[] signature) {
    X509Certificate cert = certificates.get(nodeId);
    if (cert == null) {
      return Result.UNKNOWN_NODE;
    }
    return signature.length > 0 && RecordSignatures.verify(cert, payload, signature)
        ? Result.VALID
        : Result.INVALID;
  }
}
