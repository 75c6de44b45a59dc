package io.mpcw.orchestrator.support;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.crypto.address.Network;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.dkg.DkgPart1Request;
import io.mpcw.protocol.dkg.DkgPart1Response;
import io.mpcw.protocol.dkg.DkgPart2Request;
import io.mpcw.protocol.dkg.DkgPart2Response;
import io.mpcw.protocol.dkg.DkgPart3Request;
import io.mpcw.protocol.dkg.DkgPart3Response;
import io.mpcw.protocol.dkg.DkgParticipant;
import io.mpcw.protocol.lifecycle.LifecycleMessages;
import io.mpcw.protocol.lifecycle.RefreshParticipant;
import io.mpcw.protocol.lifecycle.RepairMessages;
import io.mpcw.protocol.lifecycle.RepairParticipant;
import io.mpcw.protocol.lifecycle.ReshareMessages;
import io.mpcw.protocol.lifecycle.ReshareParticipant;
import io.mpcw.protocol.share.MemoryShareStore;
import io.mpcw.protocol.share.ShareStore;
import io.mpcw.protocol.signing.ApprovalQuorum;
import io.mpcw.protocol.signing.EtcdApprovalCheck;
import io.mpcw.protocol.signing.EtcdRoundTwo;
import io.mpcw.protocol.signing.MemorySigningRecord;
import io.mpcw.protocol.signing.ShareRecord;
import io.mpcw.protocol.signing.SignCommitRequest;
import io.mpcw.protocol.signing.SignCommitResponse;
import io.mpcw.protocol.signing.SignPooledShareBatchRequest;
import io.mpcw.protocol.signing.SignPooledShareBatchResponse;
import io.mpcw.protocol.signing.SignPooledShareRequest;
import io.mpcw.protocol.signing.SignPooledShareResponse;
import io.mpcw.protocol.signing.SignPrecommitRequest;
import io.mpcw.protocol.signing.SignPrecommitResponse;
import io.mpcw.protocol.signing.SignShareRequest;
import io.mpcw.protocol.signing.SignShareResponse;
import io.mpcw.protocol.signing.SigningParticipant;
import io.mpcw.protocol.signing.SpendLimits;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.PemFiles;
import io.mpcw.transport.pki.RecordSignatures;
import io.mpcw.transport.quic.QuicTransportServer;
import io.mpcw.types.cluster.NodeIdentities;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.CastResult;
import io.mpcw.votes.Decision;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VoteBatchRequest;
import io.mpcw.votes.VoteBatchResponse;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VotePayload;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A node for the orchestrator's tests, built from the real pieces: QUIC + mTLS with the cluster's
 * certificates, signed vote records in the etcd ledger, and the real {@link DkgParticipant} and
 * {@link SigningParticipant} (approvals checked in etcd, signing lock and share records in etcd,
 * fee limit 100,000 sats, regtest), with the fault modes of the nodes' Byzantine switch. The node
 * service's own handler is tested in node-service.
 *
 * <p>Key shares live in {@link #shareStore(String)}, one per node id for the whole test JVM: a
 * wallet made in one test can sign in another, and {@link #restart()} keeps the shares while the
 * nonces (in the participant's memory) are gone, as on a real node restart.
 */
public final class TestNode implements AutoCloseable {
  public enum Mode {
    HONEST,
    REJECT_ALL,
    WRONG_DIGEST,
    BAD_SIGNATURE,
    EQUIVOCATE,
    /** Accepts every request and never answers. */
    SILENT,
    /** Signs with a wrong (well-formed) signature share ({@code setShareCorruption(true)}). */
    BAD_SHARE,
    /** In DKG round 2, corrupts the sealed share it sends to one peer: that peer names it. */
    BAD_DKG_SHARE,
    /**
     * Restarts its signing participant when round 2 arrives (nonces and pre-shared commitments
     * gone), as a node process restarted mid-session, then answers round 2 as the real participant
     * does: refused; honest from then on.
     */
    RESTARTS_BEFORE_SHARE,
    /** Stops listening when round 2 arrives and never answers it, as a node killed mid-session. */
    DIES_BEFORE_SHARE,
    /**
     * Round-2 requests are lost on the way: never processed (the session's nonces stay in memory)
     * and never answered, until the mode changes.
     */
    LOSES_SHARE_REQUESTS,
    /**
     * A Byzantine signer with write access to etcd: in round 1 it writes share records of the
     * session under every other node's key (signed with its own key), so the honest signers cannot
     * record theirs and would be blamed if the coordinator believed the keys.
     */
    FORGES_PEER_SHARE_RECORDS,
    /**
     * Stops listening when a refresh's part 2 arrives and never answers it (killed mid-refresh).
     */
    DIES_AT_REFRESH_PART2,
    /** Stops listening when a repair's part 2 arrives and never answers it (killed mid-repair). */
    DIES_AT_REPAIR_PART2,
    /** Stops listening when a reshare's deal request arrives and never answers it. */
    DIES_AT_RESHARE_DEAL
  }

  /** Why each node id refuses refreshes (its lifecycle policy); absent: it approves. */
  public static final Map<String, String> REFRESH_REFUSALS = new ConcurrentHashMap<>();

  /** Approvals a signer requires in etcd: the test context's {@code mpcw.cluster.threshold}. */
  public static final int REQUIRED_APPROVALS = 4;

  public static final long MAX_FEE_SATS = 100_000;
  static final long MAX_AMOUNT_SATS = 100_000_000;
  private static final Map<String, MemoryShareStore> SHARES = new ConcurrentHashMap<>();
  private static final Map<String, MemorySigningRecord> SIGNED = new ConcurrentHashMap<>();
  private static Client sharedEtcd;
  private static final java.util.Map<String, Client> NODE_ETCD = new java.util.HashMap<>();

  private final String nodeId;
  private final TestCluster cluster;
  private final IdentityCredentials identity;
  private final EtcdVoteLedger ledger;
  private final KV kv;
  private final EtcdKeys keys;
  private final ExecutorService work = Executors.newFixedThreadPool(4);
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> requests =
      new ConcurrentHashMap<>();
  private volatile Mode mode;
  private volatile QuicTransportServer server;
  private volatile DkgParticipant dkg;
  private volatile SigningParticipant signer;
  private volatile RefreshParticipant lifecycle;
  private volatile RepairParticipant repair;
  private volatile ReshareParticipant reshare;
  private InetSocketAddress bindAddress = new InetSocketAddress("127.0.0.1", 0);
  private Endpoint endpoint;

  /**
   * A node of the test context's etcd (its prefix): it casts its votes as its own etcd identity,
   * whose role writes only the node's own keys, as a real node does; its signing lock and share
   * records go through etcd's root, so that a Byzantine mode can write other nodes' keys.
   */
  public TestNode(String nodeId, TestCluster cluster, Mode mode) {
    this(
        nodeId,
        cluster,
        new EtcdVoteLedger(
            etcdAs(nodeId).getKVClient(),
            new EtcdKeys(OrchestratorTestBase.ETCD.keyPrefix()),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5)),
        sharedEtcd().getKVClient(),
        new EtcdKeys(OrchestratorTestBase.ETCD.keyPrefix()),
        mode);
  }

  public TestNode(
      String nodeId, TestCluster cluster, EtcdVoteLedger ledger, KV kv, EtcdKeys keys, Mode mode) {
    this.nodeId = nodeId;
    this.cluster = cluster;
    this.identity = cluster.pki().loadIdentity(nodeId);
    this.ledger = ledger;
    this.kv = kv;
    this.keys = keys;
    this.mode = mode;
  }

  /** This node's key shares; they outlive every TestNode instance of the node id. */
  public static ShareStore shareStore(String nodeId) {
    return SHARES.computeIfAbsent(nodeId, id -> new MemoryShareStore());
  }

  public ShareStore shares() {
    return shareStore(nodeId);
  }

  public String nodeId() {
    return nodeId;
  }

  /** Starts listening; returns {@code host:port} for the registry. */
  public synchronized String start() {
    if (server != null) {
      throw new IllegalStateException(nodeId + " is running");
    }
    dkg =
        new DkgParticipant(
            nodeId,
            identity,
            this::certificateOf,
            shares(),
            new SecureRandom(),
            Clock.systemUTC(),
            Duration.ofMinutes(5));
    signer = newSigner();
    lifecycle =
        new RefreshParticipant(
            nodeId,
            identity,
            this::certificateOf,
            shares(),
            (kind, wallet, subject) -> Optional.ofNullable(REFRESH_REFUSALS.get(nodeId)),
            new SecureRandom(),
            Clock.systemUTC(),
            Duration.ofMinutes(5));
    repair =
        new RepairParticipant(
            nodeId,
            identity,
            this::certificateOf,
            shares(),
            new SecureRandom(),
            Clock.systemUTC(),
            Duration.ofMinutes(5));
    reshare =
        new ReshareParticipant(
            nodeId,
            identity,
            this::certificateOf,
            shares(),
            new SecureRandom(),
            Clock.systemUTC(),
            Duration.ofMinutes(5));
    server =
        new QuicTransportServer(
            identity,
            cluster.pki().caCertificate(),
            IdentityPolicy.anyOf(Set.of("orchestrator")),
            bindAddress,
            io.mpcw.transport.TransportSettings.defaults(),
            new SimpleMeterRegistry(),
            Clock.systemUTC());
    endpoint = server.start(this::handle);
    // a restart comes back on the same port, so the registry's address stays right
    bindAddress = new InetSocketAddress(endpoint.host(), endpoint.port());
    return endpoint.host() + ":" + endpoint.port();
  }

  private SigningParticipant newSigner() {
    SigningParticipant fresh =
        new SigningParticipant(
            nodeId,
            shares(),
            // round 2 in etcd as a node does it: one read, one write
            new EtcdRoundTwo(
                kv,
                keys,
                Duration.ofSeconds(2),
                new ApprovalQuorum(
                    REQUIRED_APPROVALS,
                    this::certificateOf,
                    cluster.pki().caCertificate(),
                    NodeIdentities.defaults(),
                    EtcdApprovalCheck.OwnVotes.none()),
                identity),
            // what a node signed survives its restarts, as its journal does
            SIGNED.computeIfAbsent(nodeId, id -> new MemorySigningRecord()),
            new SpendLimits(MAX_FEE_SATS),
            Network.REGTEST,
            new SecureRandom(),
            Clock.systemUTC(),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            SigningParticipant.DEFAULT_POOLED_PER_WALLET);
    fresh.setShareCorruption(mode == Mode.BAD_SHARE);
    return fresh;
  }

  /** Stops listening, as a crashed node; {@link #restart()} brings it back. */
  public synchronized void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /**
   * Stops and starts again on the same address with new participant instances over the same share
   * store: shares survive, DKG sessions and signing nonces do not.
   */
  public synchronized String restart() {
    stop();
    return start();
  }

  /** Switches the fault mode of a running node. */
  public void mode(Mode mode) {
    this.mode = mode;
    SigningParticipant current = signer;
    if (current != null) {
      current.setShareCorruption(mode == Mode.BAD_SHARE);
    }
  }

  /** Requests of the type this node received (answered or not) since it was made. */
  public int requestsOf(String type) {
    java.util.concurrent.atomic.AtomicInteger n = requests.get(type);
    return n == null ? 0 : n.get();
  }

  /** Pre-shared commitments (nonce pairs) this node holds in memory now. */
  public int pendingCommitments() {
    SigningParticipant current = signer;
    return current == null ? 0 : current.pendingCommitments();
  }

  /** Signing sessions (nonces) this node holds in memory now. */
  public int liveSigningSessions() {
    SigningParticipant current = signer;
    return current == null ? 0 : current.liveSessions();
  }

  private CompletableFuture<Envelope> handle(
      io.mpcw.transport.pki.PeerIdentity peer, Envelope request) {
    requests
        .computeIfAbsent(request.getType(), t -> new java.util.concurrent.atomic.AtomicInteger())
        .incrementAndGet();
    boolean roundTwo =
        SignShareRequest.TYPE.equals(request.getType())
            || SignPooledShareRequest.TYPE.equals(request.getType())
            || SignPooledShareBatchRequest.TYPE.equals(request.getType());
    if (mode == Mode.SILENT) {
      return new CompletableFuture<>();
    }
    if (mode == Mode.DIES_BEFORE_SHARE && roundTwo) {
      work.execute(this::stop);
      return new CompletableFuture<>();
    }
    if (mode == Mode.DIES_AT_REFRESH_PART2
        && LifecycleMessages.RefreshPart2Request.TYPE.equals(request.getType())) {
      work.execute(this::stop);
      return new CompletableFuture<>();
    }
    if (mode == Mode.DIES_AT_REPAIR_PART2
        && RepairMessages.RepairPart2Request.TYPE.equals(request.getType())) {
      work.execute(this::stop);
      return new CompletableFuture<>();
    }
    if (mode == Mode.DIES_AT_RESHARE_DEAL
        && ReshareMessages.ReshareDealRequest.TYPE.equals(request.getType())) {
      work.execute(this::stop);
      return new CompletableFuture<>();
    }
    if (mode == Mode.LOSES_SHARE_REQUESTS && roundTwo) {
      return new CompletableFuture<>();
    }
    if (mode == Mode.RESTARTS_BEFORE_SHARE && roundTwo) {
      signer = newSigner();
      mode = Mode.HONEST;
    }
    return CompletableFuture.supplyAsync(() -> serve(request), work);
  }

  private Envelope serve(Envelope request) {
    byte[] payload = request.getPayload().toByteArray();
    try {
      return switch (request.getType()) {
        case VoteRequest.TYPE ->
            Envelopes.reply(
                request,
                VoteResponse.TYPE,
                VoteMessages.encode(vote(VoteMessages.decode(payload, VoteRequest.class))));
        case VoteBatchRequest.TYPE ->
            Envelopes.reply(
                request,
                VoteBatchResponse.TYPE,
                VoteMessages.encode(
                    voteEach(VoteMessages.decode(payload, VoteBatchRequest.class).validated())));
        case DkgPart1Request.TYPE ->
            reply(
                request,
                DkgPart1Response.TYPE,
                dkg.part1(ProtocolMessages.decode(payload, DkgPart1Request.class)));
        case DkgPart2Request.TYPE ->
            reply(
                request,
                DkgPart2Response.TYPE,
                tamper(dkg.part2(ProtocolMessages.decode(payload, DkgPart2Request.class))));
        case DkgPart3Request.TYPE ->
            reply(
                request,
                DkgPart3Response.TYPE,
                dkg.part3(ProtocolMessages.decode(payload, DkgPart3Request.class)));
        case SignCommitRequest.TYPE -> {
          SignCommitRequest commit = ProtocolMessages.decode(payload, SignCommitRequest.class);
          SignCommitResponse committed = signer.commit(commit);
          if (mode == Mode.FORGES_PEER_SHARE_RECORDS) {
            forgeShareRecordsOfPeers(
                commit.txId(), commit.sessionId(), commit.epoch(), commit.inputs());
          }
          yield reply(request, SignCommitResponse.TYPE, committed);
        }
        case SignShareRequest.TYPE ->
            reply(
                request,
                SignShareResponse.TYPE,
                signer.share(ProtocolMessages.decode(payload, SignShareRequest.class)));
        case SignPrecommitRequest.TYPE ->
            reply(
                request,
                SignPrecommitResponse.TYPE,
                signer.precommit(ProtocolMessages.decode(payload, SignPrecommitRequest.class)));
        case SignPooledShareRequest.TYPE ->
            reply(
                request,
                SignPooledShareResponse.TYPE,
                sharePooled(ProtocolMessages.decode(payload, SignPooledShareRequest.class)));
        case SignPooledShareBatchRequest.TYPE ->
            reply(
                request,
                SignPooledShareBatchResponse.TYPE,
                shareEach(ProtocolMessages.decode(payload, SignPooledShareBatchRequest.class)));
        case LifecycleMessages.VoteRequest.TYPE ->
            reply(
                request,
                LifecycleMessages.VoteResponse.TYPE,
                lifecycle.vote(
                    ProtocolMessages.decode(payload, LifecycleMessages.VoteRequest.class)));
        case LifecycleMessages.RefreshPart1Request.TYPE ->
            reply(
                request,
                LifecycleMessages.RefreshPart1Response.TYPE,
                lifecycle.part1(
                    ProtocolMessages.decode(payload, LifecycleMessages.RefreshPart1Request.class)));
        case LifecycleMessages.RefreshPart2Request.TYPE ->
            reply(
                request,
                LifecycleMessages.RefreshPart2Response.TYPE,
                lifecycle.part2(
                    ProtocolMessages.decode(payload, LifecycleMessages.RefreshPart2Request.class)));
        case LifecycleMessages.RefreshCommitRequest.TYPE ->
            reply(
                request,
                LifecycleMessages.EpochResponse.TYPE,
                lifecycle.commit(
                    ProtocolMessages.decode(
                        payload, LifecycleMessages.RefreshCommitRequest.class)));
        case RepairMessages.RepairPart1Request.TYPE ->
            reply(
                request,
                RepairMessages.RepairPart1Response.TYPE,
                repair.part1(
                    ProtocolMessages.decode(payload, RepairMessages.RepairPart1Request.class)));
        case RepairMessages.RepairPart2Request.TYPE ->
            reply(
                request,
                RepairMessages.RepairPart2Response.TYPE,
                repair.part2(
                    ProtocolMessages.decode(payload, RepairMessages.RepairPart2Request.class)));
        case RepairMessages.RepairRecoverRequest.TYPE ->
            reply(
                request,
                LifecycleMessages.EpochResponse.TYPE,
                repair.recover(
                    ProtocolMessages.decode(payload, RepairMessages.RepairRecoverRequest.class)));
        case LifecycleMessages.RefreshAbortRequest.TYPE ->
            reply(
                request,
                LifecycleMessages.EpochResponse.TYPE,
                lifecycle.abort(
                    ProtocolMessages.decode(payload, LifecycleMessages.RefreshAbortRequest.class)));
        case ReshareMessages.ReshareDealRequest.TYPE ->
            reply(
                request,
                ReshareMessages.ReshareDealResponse.TYPE,
                reshare.deal(
                    ProtocolMessages.decode(payload, ReshareMessages.ReshareDealRequest.class)));
        case ReshareMessages.ReshareReceiveRequest.TYPE ->
            reply(
                request,
                LifecycleMessages.RefreshPart2Response.TYPE,
                reshare.receive(
                    ProtocolMessages.decode(payload, ReshareMessages.ReshareReceiveRequest.class)));
        case ReshareMessages.ReshareCommitRequest.TYPE ->
            reply(
                request,
                LifecycleMessages.EpochResponse.TYPE,
                reshare.commit(
                    ProtocolMessages.decode(payload, ReshareMessages.ReshareCommitRequest.class)));
        case ReshareMessages.ReshareAbortRequest.TYPE ->
            reply(
                request,
                LifecycleMessages.EpochResponse.TYPE,
                reshare.abort(
                    ProtocolMessages.decode(payload, ReshareMessages.ReshareAbortRequest.class)));
        default ->
            Envelopes.error(
                request, ProtocolErrors.UNSUPPORTED_TYPE, "not served: " + request.getType());
      };
    } catch (ProtocolException e) {
      return Envelopes.error(request, e.code(), e.getMessage());
    } catch (IllegalArgumentException e) {
      return Envelopes.error(request, ProtocolErrors.MALFORMED_REQUEST, e.getMessage());
    }
  }

  /**
   * A batch of round 2s through the node's own batch path ({@link
   * SigningParticipant#sharePooledAll}: one etcd read and one etcd write for all of them), a
   * refusal answered for its session only.
   */
  private SignPooledShareBatchResponse shareEach(SignPooledShareBatchRequest batch) {
    if (mode == Mode.FORGES_PEER_SHARE_RECORDS) {
      for (SignPooledShareRequest share : batch.sessions()) {
        forgeShareRecordsOfPeers(
            share.txId(), share.sessionId(), share.epoch(), share.prevouts().size());
      }
    }
    List<SignPooledShareResponse> signed = new ArrayList<>();
    List<SignPooledShareBatchResponse.Refusal> refused = new ArrayList<>();
    for (SigningParticipant.Outcome outcome : signer.sharePooledAll(batch)) {
      if (outcome.reply() != null) {
        signed.add(outcome.reply());
      } else if (outcome.refusal() instanceof ProtocolException e) {
        refused.add(
            new SignPooledShareBatchResponse.Refusal(
                outcome.sessionId(), e.code(), String.valueOf(e.getMessage())));
      } else if (outcome.refusal() instanceof IllegalArgumentException e) {
        refused.add(
            new SignPooledShareBatchResponse.Refusal(
                outcome.sessionId(),
                ProtocolErrors.MALFORMED_REQUEST,
                String.valueOf(e.getMessage())));
      } else {
        throw outcome.refusal();
      }
    }
    return new SignPooledShareBatchResponse(signed, refused);
  }

  private SignPooledShareResponse sharePooled(SignPooledShareRequest share) {
    if (mode == Mode.FORGES_PEER_SHARE_RECORDS) {
      forgeShareRecordsOfPeers(
          share.txId(), share.sessionId(), share.epoch(), share.prevouts().size());
    }
    return signer.sharePooled(share);
  }

  private static Envelope reply(Envelope request, String type, Object message) {
    return Envelopes.reply(request, type, ProtocolMessages.encode(message));
  }

  /** BAD_DKG_SHARE: flips one byte of the sealed share for the first other participant. */
  private DkgPart2Response tamper(DkgPart2Response response) {
    if (mode != Mode.BAD_DKG_SHARE || response.sealedShares().isEmpty()) {
      return response;
    }
    String victim = new TreeSet<>(response.sealedShares().keySet()).first();
    byte[] box = Base64.getDecoder().decode(response.sealedShares().get(victim));
    box[box.length / 2] ^= 0x01;
    Map<String, String> shares = new HashMap<>(response.sealedShares());
    shares.put(victim, Base64.getEncoder().encodeToString(box));
    return new DkgPart2Response(
        response.walletId(), response.nodeId(), response.echo(), response.echoSignature(), shares);
  }

  /**
   * FORGES_PEER_SHARE_RECORDS: a record for each other node, signed with this node's key, written
   * over whatever is there (with pre-shared commitments there is no round 1: it forges when round 2
   * arrives, before it answers, so the coordinator reads the forgeries).
   */
  private void forgeShareRecordsOfPeers(UUID txId, UUID sessionId, long epoch, int inputs) {
    List<String> shares = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      shares.add("01".repeat(32));
    }
    String ownSignature =
        ShareRecord.sign(identity, txId, epoch, new SignShareResponse(sessionId, nodeId, shares))
            .signature();
    for (int i = 1; i <= 5; i++) {
      String victim = "node-" + i;
      if (victim.equals(nodeId)) {
        continue;
      }
      ShareRecord forged =
          new ShareRecord(
              txId, epoch, new SignShareResponse(sessionId, victim, shares), ownSignature);
      try {
        kv.put(
                ByteSequence.from(
                    keys.signingShare(txId, sessionId, victim), StandardCharsets.UTF_8),
                ByteSequence.from(forged.encode()))
            .get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("etcd write failed", e);
      }
    }
  }

  private Optional<X509Certificate> certificateOf(String node) {
    Path file = cluster.pki().certFile(node);
    return Files.exists(file) ? Optional.of(PemFiles.readCertificate(file)) : Optional.empty();
  }

  /** Each vote of the batch as if asked alone (the node service's batch is tested there). */
  private VoteBatchResponse voteEach(VoteBatchRequest batch) {
    return new VoteBatchResponse(
        batch.votes().stream()
            .map(vote -> VoteBatchResponse.Answer.voted(vote.txId(), vote(vote)))
            .toList());
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
      return new VoteResponse(answered, "counted");
    }
    return VoteResponse.of(recorded, result);
  }

  private VoteRecord sign(VoteRequest request, Decision decision, String reason, String digest) {
    VoteRecord unsigned =
        VoteRecord.unsigned(
            request.txId(), identity.name(), decision, reason, digest, Instant.now());
    return unsigned.withSignature(RecordSignatures.sign(identity, unsigned.signingPayload()));
  }

  private static synchronized Client sharedEtcd() {
    if (sharedEtcd == null) {
      sharedEtcd = OrchestratorTestBase.ETCD.client("root");
    }
    return sharedEtcd;
  }

  /** One client per identity for the whole test JVM, like {@link #sharedEtcd}. */
  private static synchronized Client etcdAs(String identity) {
    return NODE_ETCD.computeIfAbsent(identity, OrchestratorTestBase.ETCD::client);
  }

  @Override
  public void close() {
    stop();
    work.shutdownNow();
  }
}
