package io.mpcw.protocol.signing;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.transport.pki.IdentityKeys;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.types.cluster.NodeIdentities;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.Tally;
import io.mpcw.votes.VoteLedgerException;
import io.mpcw.votes.VotePayload;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteSignatureVerifier;
import io.mpcw.votes.VoteSnapshot;
import io.mpcw.votes.VoteTally;
import io.mpcw.votes.VotingRules;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The node's own count of the quorum: the vote records in etcd (never the orchestrator's word),
 * each signature checked against its node's certificate, which must be issued by the cluster CA to
 * that very node. Only cluster nodes vote (never a service identity such as the orchestrator's,
 * whatever certificate it shows), and only approvals of this exact payment's digest count.
 */
public final class EtcdApprovalCheck implements ApprovalCheck {
  private final EtcdVoteLedger ledger;
  private final int minApprovals;
  private final Function<String, Optional<X509Certificate>> nodeCertificates;
  private final X509Certificate clusterCa;
  private final NodeIdentities nodes;

  /** With the default node ids ({@link NodeIdentities#defaults()}). */
  public EtcdApprovalCheck(
      EtcdVoteLedger ledger,
      int minApprovals,
      Function<String, Optional<X509Certificate>> nodeCertificates,
      X509Certificate clusterCa) {
    this(ledger, minApprovals, nodeCertificates, clusterCa, NodeIdentities.defaults());
  }

  /**
   * @param nodes the ids that may vote: a service (the orchestrator, the registry) holds a
   *     certificate of the same CA whose CN is its name, and must never count as a voter
   */
  public EtcdApprovalCheck(
      EtcdVoteLedger ledger,
      int minApprovals,
      Function<String, Optional<X509Certificate>> nodeCertificates,
      X509Certificate clusterCa,
      NodeIdentities nodes) {
    if (minApprovals < 1) {
      throw new IllegalArgumentException("at least one approval is required");
    }
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.minApprovals = minApprovals;
    this.nodeCertificates = Objects.requireNonNull(nodeCertificates, "nodeCertificates");
    this.clusterCa = Objects.requireNonNull(clusterCa, "clusterCa");
    this.nodes = Objects.requireNonNull(nodes, "nodes");
  }

  @Override
  public void requireApproved(
      UUID txId, UUID walletId, String recipient, long amountSats, Collection<String> voters) {
    VoteSnapshot snapshot;
    try {
      snapshot = ledger.snapshot(txId, voters);
    } catch (VoteLedgerException e) {
      throw new ProtocolException(
          ProtocolErrors.ETCD_UNAVAILABLE, "cannot read the votes: " + e.getMessage(), e);
    }
    Map<String, Optional<X509Certificate>> trusted = new HashMap<>();
    Function<String, Optional<X509Certificate>> certificate =
        node ->
            nodes.isNode(node)
                ? trusted.computeIfAbsent(node, this::trustedCertificate)
                : Optional.empty();
    Set<String> eligible =
        snapshot.votes().stream()
            .map(VoteRecord::nodeId)
            .filter(nodes::isNode)
            .filter(node -> certificate.apply(node).isPresent())
            .collect(Collectors.toSet());
    VotingRules rules =
        new VotingRules(minApprovals, Math.max(minApprovals, eligible.size()), eligible);
    VoteSignatureVerifier verifier =
        (node, payload, signature) ->
            certificate
                .apply(node)
                .map(
                    cert ->
                        IdentityKeys.verify(cert, payload, signature)
                            ? VoteSignatureVerifier.Result.VALID
                            : VoteSignatureVerifier.Result.INVALID)
                .orElse(VoteSignatureVerifier.Result.UNKNOWN_NODE);
    Tally tally =
        VoteTally.tally(
            rules,
            new VotePayload(txId, walletId, recipient, amountSats),
            snapshot,
            Map.of(),
            List.of(),
            verifier);
    int approved = tally.approvals().size();
    if (approved < minApprovals) {
      throw new ProtocolException(
          ProtocolErrors.NOT_APPROVED,
          approved
              + " valid approval"
              + (approved == 1 ? "" : "s")
              + " for this payment, "
              + minApprovals
              + " required");
    }
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
