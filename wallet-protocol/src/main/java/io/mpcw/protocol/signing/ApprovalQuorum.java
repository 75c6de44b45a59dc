package io.mpcw.protocol.signing;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.transport.pki.RecordSignatures;
import io.mpcw.types.cluster.NodeIdentities;
import io.mpcw.votes.Decision;
import io.mpcw.votes.VotePayload;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteSnapshot;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The node's own count of the quorum on vote records read from etcd (never the orchestrator's
 * word), without the read itself: {@link EtcdApprovalCheck} reads the votes alone, {@link
 * EtcdRoundTwo} together with the signing locks. Each record's signature is checked against its
 * node's certificate, which must be issued by the cluster CA to that very node. Only cluster nodes
 * vote (never a service identity such as the orchestrator's, whatever certificate it shows), and
 * only approvals of this exact payment's digest count.
 *
 * <p>It stops at {@code minApprovals} valid approvals: the check only asks whether the quorum is
 * there, and each further P-256 verification costs about a millisecond of CPU on every signer. The
 * cheap tests (a cluster node, this transaction, an approval of this digest) come before any
 * signature is checked, and this node's own vote is not verified when it is, byte for byte, the
 * record its own journal holds ({@link EtcdApprovalCheck.OwnVotes}): the node signed those bytes
 * itself. A record under its name with any other bytes is verified like every other one.
 */
public final class ApprovalQuorum {
  private final int minApprovals;
  private final Function<String, Optional<X509Certificate>> nodeCertificates;
  private final X509Certificate clusterCa;
  private final NodeIdentities nodes;
  private final EtcdApprovalCheck.OwnVotes ownVotes;

  /**
   * @param nodes the ids that may vote: a service (the orchestrator, the registry) holds a
   *     certificate of the same CA whose CN is its name, and must never count as a voter
   * @param ownVotes the records this node wrote itself, counted without verifying their signature
   */
  public ApprovalQuorum(
      int minApprovals,
      Function<String, Optional<X509Certificate>> nodeCertificates,
      X509Certificate clusterCa,
      NodeIdentities nodes,
      EtcdApprovalCheck.OwnVotes ownVotes) {
    if (minApprovals < 1) {
      throw new IllegalArgumentException("at least one approval is required");
    }
    this.minApprovals = minApprovals;
    this.nodeCertificates = Objects.requireNonNull(nodeCertificates, "nodeCertificates");
    this.clusterCa = Objects.requireNonNull(clusterCa, "clusterCa");
    this.nodes = Objects.requireNonNull(nodes, "nodes");
    this.ownVotes = Objects.requireNonNull(ownVotes, "ownVotes");
  }

  /**
   * @throws ProtocolException {@code NOT_APPROVED} with the count found, when {@code snapshot}
   *     holds fewer than {@code minApprovals} valid approvals of this payment
   */
  public void requireApproved(
      VoteSnapshot snapshot, UUID txId, UUID walletId, String recipient, long amountSats) {
    String approveDigest =
        new VotePayload(txId, walletId, recipient, amountSats).digest(Decision.APPROVE);
    // approvals of this payment by cluster nodes: the node's own counts at once, the others are
    // verified one by one until the quorum is there
    Set<String> approved = new HashSet<>();
    List<VoteRecord> toVerify = new ArrayList<>();
    for (VoteRecord record : snapshot.votes()) {
      if (nodes.isNode(record.nodeId())
          && record.txId().equals(txId)
          && record.decision() == Decision.APPROVE
          && approveDigest.equals(record.digest())) {
        if (isOwn(record)) {
          approved.add(record.nodeId());
        } else {
          toVerify.add(record);
        }
      }
    }
    for (VoteRecord record : toVerify) {
      if (approved.size() >= minApprovals) {
        return;
      }
      if (!approved.contains(record.nodeId()) && verifies(record)) {
        approved.add(record.nodeId());
      }
    }
    int count = approved.size();
    if (count < minApprovals) {
      throw new ProtocolException(
          ProtocolErrors.NOT_APPROVED,
          count
              + " valid approval"
              + (count == 1 ? "" : "s")
              + " for this payment, "
              + minApprovals
              + " required");
    }
  }

  private boolean isOwn(VoteRecord record) {
    Optional<byte[]> signature = record.signatureBytes();
    return signature.isPresent()
        && ownVotes.signedHere(
            record.nodeId(), record.txId(), record.signingPayload(), signature.get());
  }

  /** The record's signature checked against its node's certificate. */
  private boolean verifies(VoteRecord record) {
    Optional<byte[]> signature = record.signatureBytes();
    return signature.isPresent()
        && trustedCertificate(record.nodeId())
            .map(cert -> RecordSignatures.verify(cert, record.signingPayload(), signature.get()))
            .orElse(false);
  }

  /** The node's certificate, if the cluster CA issued it to that node and it is valid now. */
  private Optional<X509Certificate> trustedCertificate(String node) {
    return nodeCertificates
        .apply(node)
        .filter(
            cert -> {
              try {
                return PeerIdentity.fromCertificate(cert, clusterCa, Instant.now())
                    .name()
                    .equals(node);
              } catch (CertificateException e) {
                return false;
              }
            });
  }
}
