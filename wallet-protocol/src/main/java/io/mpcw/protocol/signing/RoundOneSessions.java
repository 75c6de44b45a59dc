package io.mpcw.protocol.signing;

import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.SigningNonces;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.share.WalletShare;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nonces of round 1, in memory only, under their session id: a session id is used once (it is
 * remembered until its session would have expired), the nonces waiting for round 2 are bounded, and
 * a session not taken before its TTL is closed unused.
 */
final class RoundOneSessions {
  private static final Logger LOG = LoggerFactory.getLogger(SigningParticipant.class);

  private final Frost frost;
  private final SecureRandom random;
  private final Clock clock;
  private final Duration ttl;
  private final Map<UUID, SigningSession> sessions = new ConcurrentHashMap<>();
  private final Map<UUID, Instant> usedIds = new ConcurrentHashMap<>();
  private final AtomicInteger liveNonces = new AtomicInteger();

  RoundOneSessions(Frost frost, SecureRandom random, Clock clock, Duration ttl) {
    this.frost = frost;
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "sessionTtl");
  }

  /** Fresh nonces for every input, kept under the new session id; their commitments in hex. */
  List<String> open(SignCommitRequest request, WalletShare share) {
    Instant expiry = clock.instant().plus(ttl);
    if (usedIds.putIfAbsent(request.sessionId(), expiry) != null) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST,
          "session " + request.sessionId() + " was already used; start a new session id");
    }
    if (liveNonces.addAndGet(request.inputs()) > SigningParticipant.MAX_LIVE_NONCES) {
      liveNonces.addAndGet(-request.inputs());
      throw new ProtocolException(
          ProtocolErrors.OVERLOADED, "too many signing sessions waiting for round 2");
    }
    List<SigningNonces> nonces = new ArrayList<>();
    List<String> commitments = new ArrayList<>();
    try {
      for (int i = 0; i < request.inputs(); i++) {
        SigningNonces n = frost.commit(share.keyPackage(), random);
        nonces.add(n);
        commitments.add(Hex.encode(n.commitments().encode()));
      }
    } catch (RuntimeException e) {
      nonces.forEach(SigningNonces::close);
      liveNonces.addAndGet(-request.inputs());
      throw e;
    }
    sessions.put(
        request.sessionId(),
        new SigningSession(request.txId(), request.walletId(), request.epoch(), nonces, expiry));
    return commitments;
  }

  /** The session, out of memory: its nonces can be used once, by the caller, then discarded. */
  Optional<SigningSession> take(UUID sessionId) {
    return Optional.ofNullable(sessions.remove(sessionId));
  }

  void discard(SigningSession session) {
    session.close();
    liveNonces.addAndGet(-session.nonces().size());
  }

  int live() {
    return sessions.size();
  }

  void purgeExpired() {
    Instant now = clock.instant();
    sessions.forEach(
        (id, session) -> {
          if (session.expiredAt(now) && sessions.remove(id, session)) {
            discard(session);
            LOG.info("signing session {} expired unused", id);
          }
        });
    usedIds.values().removeIf(expiry -> !now.isBefore(expiry));
  }
}
