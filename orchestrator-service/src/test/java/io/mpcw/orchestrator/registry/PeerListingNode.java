package io.mpcw.orchestrator.registry;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.support.TestCluster;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.RecordSignatures;
import io.mpcw.transport.quic.QuicTransportServer;
import io.mpcw.types.cluster.PeerEntry;
import io.mpcw.types.cluster.PeerExchangeReply;
import io.mpcw.types.cluster.PeerExchangeRequest;
import io.mpcw.votes.CastResult;
import io.mpcw.votes.Decision;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VoteBatchRequest;
import io.mpcw.votes.VoteBatchResponse;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * An honest node on QUIC + mTLS with the cluster's certificates that votes (signed records cast in
 * the real etcd ledger) and, when given a list, answers {@code peers.exchange.v1} with it, as a
 * node in peer mode does. Without a list it refuses the type, as a node that cannot help.
 */
final class PeerListingNode implements AutoCloseable {
  private final String nodeId;
  private final IdentityCredentials identity;
  private final Client etcd;
  private final EtcdVoteLedger ledger;
  private final QuicTransportServer server;
  private final ExecutorService work = Executors.newFixedThreadPool(2);
  private final String address;
  private volatile Optional<Supplier<List<PeerEntry>>> peers = Optional.empty();

  /** Votes are cast as the node's own etcd identity (its role writes only its own keys). */
  PeerListingNode(String nodeId, TestCluster cluster) {
    this.nodeId = nodeId;
    this.identity = cluster.pki().loadIdentity(nodeId);
    this.etcd = OrchestratorTestBase.ETCD.client(nodeId);
    this.ledger =
        new EtcdVoteLedger(
            etcd.getKVClient(),
            OrchestratorTestBase.ETCD.keys(),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5));
    this.server =
        new QuicTransportServer(
            identity,
            cluster.pki().caCertificate(),
            IdentityPolicy.anyOf(Set.of("orchestrator")),
            new InetSocketAddress("127.0.0.1", 0),
            TransportSettings.defaults(),
            new SimpleMeterRegistry(),
            Clock.systemUTC());
    Endpoint endpoint =
        server.start((peer, request) -> CompletableFuture.supplyAsync(() -> serve(request), work));
    this.address = endpoint.host() + ":" + endpoint.port();
  }

  String nodeId() {
    return nodeId;
  }

  /** {@code host:port} of its QUIC server. */
  String address() {
    return address;
  }

  /** From now on answers the peer exchange with {@code list}. */
  void answerPeersWith(Supplier<List<PeerEntry>> list) {
    peers = Optional.of(list);
  }

  private Envelope serve(Envelope request) {
    byte[] payload = request.getPayload().toByteArray();
    if (VoteRequest.TYPE.equals(request.getType())) {
      return Envelopes.reply(
          request,
          VoteResponse.TYPE,
          VoteMessages.encode(vote(VoteMessages.decode(payload, VoteRequest.class))));
    }
    if (VoteBatchRequest.TYPE.equals(request.getType())) {
      VoteBatchRequest batch = VoteMessages.decode(payload, VoteBatchRequest.class).validated();
      return Envelopes.reply(
          request,
          VoteBatchResponse.TYPE,
          VoteMessages.encode(
              new VoteBatchResponse(
                  batch.votes().stream()
                      .map(v -> VoteBatchResponse.Answer.voted(v.txId(), vote(v)))
                      .toList())));
    }
    if (PeerExchangeRequest.TYPE.equals(request.getType()) && peers.isPresent()) {
      ProtocolMessages.decode(payload, PeerExchangeRequest.class);
      return Envelopes.reply(
          request,
          PeerExchangeReply.TYPE,
          ProtocolMessages.encode(new PeerExchangeReply(nodeId, "peer", peers.get().get())));
    }
    return Envelopes.error(request, ProtocolErrors.UNSUPPORTED_TYPE, "not served here");
  }

  private VoteResponse vote(VoteRequest request) {
    VoteRecord unsigned =
        VoteRecord.unsigned(
            request.txId(),
            nodeId,
            Decision.APPROVE,
            "",
            request.payload().digest(Decision.APPROVE),
            Instant.now());
    VoteRecord signed =
        unsigned.withSignature(RecordSignatures.sign(identity, unsigned.signingPayload()));
    CastResult result = ledger.cast(signed);
    return VoteResponse.of(signed, result);
  }

  @Override
  public void close() {
    server.close();
    work.shutdownNow();
    etcd.close();
  }
}
