package io.mpcw.protocol.dkg;

import io.mpcw.crypto.dkg.Dkg;
import io.mpcw.crypto.dkg.Round1Package;
import io.mpcw.crypto.dkg.Round1SecretPackage;
import io.mpcw.crypto.dkg.Round2Package;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.frost.CulpritException;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyGenerationResult;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.share.ShareStore;
import io.mpcw.protocol.share.WalletShare;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.types.cluster.NodeIdentities;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's side of the DKG (Pedersen DKG with proofs of knowledge, Taproot-tweaked output). The
 * coordinator only relays: round-2 shares travel sealed to their recipient, and each participant
 * signs a hash of the round-1 set it saw so part 3 can detect a coordinator that showed different
 * sets to different nodes. Every refusal caused by a peer names it ({@code culprit=node-3: ...}).
 * Thread-safe; sessions (keyed by wallet id) live in memory only and expire after the TTL.
 */
public final class DkgParticipant {
  private static final Logger LOG = LoggerFactory.getLogger(DkgParticipant.class);

  private final String nodeId;
  private final DkgPeerChecks peerChecks;
  private final ShareStore store;
  private final SecureRandom random;
  private final Clock clock;
  private final Duration sessionTtl;
  private final NodeIdentities nodes;
  private final Dkg dkg = new Dkg(Frost.taproot().ciphersuite());
  private final Map<UUID, DkgSession> sessions = new ConcurrentHashMap<>();

  public DkgParticipant(
      String nodeId,
      IdentityCredentials identity,
      Function<String, Optional<X509Certificate>> peerCertificates,
      ShareStore store,
      SecureRandom random,
      Clock clock,
      Duration sessionTtl) {
    this(
        nodeId,
        identity,
        peerCertificates,
        store,
        random,
        clock,
        sessionTtl,
        NodeIdentities.defaults());
  }

  /**
   * @param nodes the ids that may take part: a service (the orchestrator, the registry) has a
   *     certificate of the same CA with CN == its name, and must never hold a share
   */
  public DkgParticipant(
      String nodeId,
      IdentityCredentials identity,
      Function<String, Optional<X509Certificate>> peerCertificates,
      ShareStore store,
      SecureRandom random,
      Clock clock,
      Duration sessionTtl,
      NodeIdentities nodes) {
    this.nodes = Objects.requireNonNull(nodes, "nodes");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.store = Objects.requireNonNull(store, "store");
    this.random = Objects.requireNonNull(random, "random");
    this.peerChecks = new DkgPeerChecks(nodeId, identity, peerCertificates, random);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sessionTtl = Objects.requireNonNull(sessionTtl, "sessionTtl");
  }

  /** Round 1: a fresh polynomial; a repeated part 1 for the same wallet restarts the session. */
  public DkgPart1Response part1(DkgPart1Request request) {
    purgeExpired();
    for (String participant : request.participants()) {
      Optional<String> notANode = nodes.refusal(participant);
      if (notANode.isPresent()) {
        throw new ProtocolException(
            ProtocolErrors.MALFORMED_REQUEST,
            "participant " + participant + " is not a cluster node: " + notANode.get());
      }
    }
    int id = request.identifierOf(nodeId);
    if (id == 0) {
      throw new ProtocolException(
          ProtocolErrors.NOT_A_PARTICIPANT,
          nodeId + " is not among the participants of wallet " + request.walletId());
    }
    if (store.find(request.walletId()).isPresent()) {
      throw new ProtocolException(
          ProtocolErrors.WALLET_EXISTS, "this node already holds wallet " + request.walletId());
    }
    for (String peer : request.participants()) {
      peerChecks.certificateOf(peer);
    }
    Dkg.Part1Result result =
        dkg.part1(Identifier.of(id), request.participants().size(), request.threshold(), random);
    byte[] round1 = result.package1().encode();
    DkgSession session =
        new DkgSession(
            request.participants(),
            request.threshold(),
            Identifier.of(id),
            result.secretPackage(),
            round1,
            clock.instant().plus(sessionTtl));
    DkgSession previous = sessions.put(request.walletId(), session);
    if (previous != null) {
      previous.erase();
      LOG.info("DKG for wallet {} restarted", request.walletId());
    }
    LOG.info(
        "DKG part 1 for wallet {} as participant {} of {} (threshold {})",
        request.walletId(),
        id,
        request.participants().size(),
        request.threshold());
    return new DkgPart1Response(request.walletId(), nodeId, id, Hex.encode(round1));
  }

  /** Round 2: checks the peers' proofs, signs the echo, seals one share per peer. */
  public DkgPart2Response part2(DkgPart2Request request) {
    UUID walletId = request.walletId();
    DkgSession session = liveSession(walletId);
    Map<String, byte[]> received = DkgPeerChecks.receivedRound1(session, request.round1Packages());
    if (!Arrays.equals(received.get(nodeId), session.ownRound1())) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST,
          "this node's round-1 package was not relayed unchanged");
    }
    Map<Identifier, Round1Package> peers = new TreeMap<>();
    for (int i = 0; i < session.participants().size(); i++) {
      String node = session.participants().get(i);
      if (!node.equals(nodeId)) {
        peers.put(Identifier.of(i + 1), DkgPeerChecks.decodeRound1(node, received.get(node)));
      }
    }
    Round1SecretPackage secret =
        session
            .takeRound1Secret()
            .orElseThrow(
                () ->
                    new ProtocolException(
                        ProtocolErrors.UNKNOWN_DKG_SESSION,
                        "part 2 already ran for wallet " + walletId + "; restart with part 1"));
    Dkg.Part2Result result;
    try {
      result = dkg.part2(secret, peers);
    } catch (CulpritException e) {
      sessions.remove(walletId, session);
      throw DkgPeerChecks.culprit(
          session.nodeOf(e.culprit()), "round-1 package is invalid: " + e.getMessage());
    } catch (FrostException e) {
      sessions.remove(walletId, session);
      throw new ProtocolException(ProtocolErrors.MALFORMED_REQUEST, e.getMessage());
    }
    byte[] echo = DkgTranscript.round1Hash(walletId, session.participants(), received);
    String echoSignature = peerChecks.signEcho(walletId, echo);
    Map<String, String> sealed = new HashMap<>();
    result
        .packages()
        .forEach(
            (peerId, share) -> {
              String peer = session.nodeOf(peerId);
              sealed.put(peer, peerChecks.seal(walletId, echo, peer, share));
            });
    session.afterPart2(result.secretPackage(), peers, echo);
    LOG.info("DKG part 2 for wallet {}: {} shares sealed", walletId, sealed.size());
    return new DkgPart2Response(walletId, nodeId, Hex.encode(echo), echoSignature, sealed);
  }

  /**
   * Round 3: every echo must be validly signed and equal to this node's; then the sealed shares are
   * opened and checked against their senders' commitments, and the share is stored. Once part 3
   * starts, the session is erased whatever the outcome: a failed DKG restarts from part 1.
   */
  public DkgPart3Response part3(DkgPart3Request request) {
    UUID walletId = request.walletId();
    DkgSession session = liveSession(walletId);
    DkgSession.Part2State state =
        session
            .takePart2State()
            .orElseThrow(
                () ->
                    new ProtocolException(
                        ProtocolErrors.UNKNOWN_DKG_SESSION,
                        "part 2 has not run for wallet " + walletId));
    sessions.remove(walletId, session);
    session.erase();
    peerChecks.checkEchoes(walletId, session, request.echoes(), state.echo());
    Map<Identifier, Round2Package> shares =
        peerChecks.openShares(walletId, state.echo(), session, request.sealedShares());
    KeyGenerationResult keys;
    try {
      keys = dkg.part3(state.secret(), state.peerRound1(), shares);
    } catch (CulpritException e) {
      throw DkgPeerChecks.culprit(
          session.nodeOf(e.culprit()), "DKG share is invalid: " + e.getMessage());
    } catch (FrostException e) {
      throw new ProtocolException(ProtocolErrors.MALFORMED_REQUEST, e.getMessage());
    }
    Point groupKey = Round1Package.decode(session.ownRound1()).commitment().get(0);
    for (Round1Package peer : state.peerRound1().values()) {
      groupKey = groupKey.add(peer.commitment().get(0));
    }
    WalletShare share =
        new WalletShare(
            walletId,
            nodeId,
            session.participants().indexOf(nodeId) + 1,
            session.threshold(),
            session.participants(),
            keys.keyPackage(),
            keys.publicKeyPackage(),
            groupKey.encodeCompressed());
    try {
      store.save(share);
    } catch (IllegalStateException e) {
      throw new ProtocolException(
          ProtocolErrors.WALLET_EXISTS, "this node already holds wallet " + walletId);
    }
    String outputKey = Hex.encode(keys.publicKeyPackage().verifyingKey().encodeXOnly());
    LOG.info("DKG for wallet {} complete: output key {}", walletId, outputKey);
    return new DkgPart3Response(
        walletId,
        nodeId,
        Hex.encode(keys.publicKeyPackage().encode()),
        Hex.encode(groupKey.encodeCompressed()),
        outputKey);
  }

  private DkgSession liveSession(UUID walletId) {
    purgeExpired();
    DkgSession session = sessions.get(walletId);
    if (session == null) {
      throw new ProtocolException(
          ProtocolErrors.UNKNOWN_DKG_SESSION,
          "no DKG session for wallet " + walletId + " on " + nodeId + " (expired or restarted)");
    }
    return session;
  }

  private void purgeExpired() {
    Instant now = clock.instant();
    sessions.forEach(
        (walletId, session) -> {
          if (session.expiredAt(now) && sessions.remove(walletId, session)) {
            session.erase();
            LOG.info("DKG session for wallet {} expired", walletId);
          }
        });
  }
}
