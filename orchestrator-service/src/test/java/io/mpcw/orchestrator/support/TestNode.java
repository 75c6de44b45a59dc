package io.mpcw.orchestrator.support;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.IdentityKeys;
import io.mpcw.transport.quic.QuicTransportServer;
import io.mpcw.votes.CastResult;
import io.mpcw.votes.Decision;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VotePayload;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A protocol peer for the orchestrator's voting tests, built from the real pieces (QUIC + mTLS with
 * the cluster's certificates, signed vote records, the etcd ledger), with the fault modes of the
 * nodes' Byzantine switch. The node service's own handler is tested in node-service.
 */
public final class TestNode implements AutoCloseable {
  public enum Mode {
    HONEST,
    REJECT_ALL,
    WRONG_DIGEST,
    BAD_SIGNATURE,
    EQUIVOCATE,
    SILENT
  }

  static final long MAX_AMOUNT_SATS = 100_000_000;
  private final IdentityCredentials identity;
  private final EtcdVoteLedger ledger;
  private final Mode mode;
  private final ExecutorService work = Executors.newFixedThreadPool(2);
  private final QuicTransportServer server;
  private Endpoint endpoint;

  public TestNode(String nodeId, TestCluster cluster, EtcdVoteLedger ledger, Mode mode) {
    this.identity = cluster.pki().loadIdentity(nodeId);
    this.ledger = ledger;
    this.mode = mode;
    this.server =
        new QuicTransportServer(
            identity,
            cluster.pki().caCertificate(),
            IdentityPolicy.anyOf(Set.of("orchestrator")),
            new InetSocketAddress("127.0.0.1", 0),
            io.mpcw.transport.TransportSettings.defaults(),
            new SimpleMeterRegistry(),
            Clock.systemUTC());
  }

  public String start() {
    endpoint =
        server.start(
            (peer, request) -> {
              if (mode == Mode.SILENT) {
                return new CompletableFuture<>();
              }
              return CompletableFuture.supplyAsync(
                  () -> {
                    VoteRequest vote =
                        VoteMessages.decode(request.getPayload().toByteArray(), VoteRequest.class);
                    VoteResponse response = vote(vote);
                    return Envelopes.reply(
                        request, VoteResponse.TYPE, VoteMessages.encode(response));
                  },
                  work);
            });
    return endpoint.host() + ":" + endpoint.port();
  }

  private VoteResponse vote(VoteRequest request) {
    Decision decision =
        mode == Mode.REJECT_ALL || request.amountSats() > MAX_AMOUNT_SATS
            ? Decision.REJECT
            : Decision.APPROVE;
    String reason =
        decision == Decision.REJECT
            ? (mode == Mode.REJECT_ALL
                ? "policy: rejects everything"
                : "amount above this node's limit of " + MAX_AMOUNT_SATS + " sats")
            : "";
    VotePayload payload =
        mode == Mode.WRONG_DIGEST
            ? new VotePayload(request.txId(), UUID.randomUUID(), request.recipient(), 1)
            : request.payload();
    VoteRecord recorded = sign(request, decision, reason, payload.digest(decision));
    if (mode == Mode.BAD_SIGNATURE) {
      recorded = recorded.withSignature(new byte[] {0x30, 0x00});
    }
    CastResult result = ledger.cast(recorded);
    if (mode == Mode.EQUIVOCATE) {
      Decision other = decision == Decision.APPROVE ? Decision.REJECT : Decision.APPROVE;
      VoteRecord answered = sign(request, other, "", request.payload().digest(other));
      return new VoteResponse(answered, "counted", 1);
    }
    return VoteResponse.of(recorded, result);
  }

  private VoteRecord sign(VoteRequest request, Decision decision, String reason, String digest) {
    VoteRecord unsigned =
        VoteRecord.unsigned(
            request.txId(), identity.name(), decision, reason, digest, Instant.now());
    return unsigned.withSignature(IdentityKeys.sign(identity, unsigned.signingPayload()));
  }

  @Override
  public void close() {
    server.close();
    work.shutdownNow();
  }
}
