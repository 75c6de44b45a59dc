package io.mpcw.protocol.dkg;

import io.mpcw.crypto.dkg.Round1Package;
import io.mpcw.crypto.dkg.Round1SecretPackage;
import io.mpcw.crypto.dkg.Round2SecretPackage;
import io.mpcw.crypto.frost.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One wallet's DKG on one node, between the calls. Holds secrets, so it lives in memory only, is
 * dropped on expiry and after part 3, and the secret packages are dropped as soon as they are used.
 */
final class DkgSession {
  private final List<String> participants;
  private final int threshold;
  private final Identifier identifier;
  private final byte[] ownRound1;
  private final Instant expiry;
  private Round1SecretPackage round1Secret;
  private Round2SecretPackage round2Secret;
  private Map<Identifier, Round1Package> peerRound1;
  private byte[] echo;

  DkgSession(
      List<String> participants,
      int threshold,
      Identifier identifier,
      Round1SecretPackage round1Secret,
      byte[] ownRound1,
      Instant expiry) {
    this.participants = List.copyOf(participants);
    this.threshold = threshold;
    this.identifier = identifier;
    this.round1Secret = round1Secret;
    this.ownRound1 = ownRound1.clone();
    this.expiry = expiry;
  }

  List<String> participants() {
    return participants;
  }

  int threshold() {
    return threshold;
  }

  Identifier identifier() {
    return identifier;
  }

  byte[] ownRound1() {
    return ownRound1.clone();
  }

  boolean expiredAt(Instant now) {
    return !now.isBefore(expiry);
  }

  /** The part-1 secret, handed out once: part 2 runs at most once per session. */
  synchronized Optional<Round1SecretPackage> takeRound1Secret() {
    Round1SecretPackage secret = round1Secret;
    round1Secret = null;
    return Optional.ofNullable(secret);
  }

  synchronized void afterPart2(
      Round2SecretPackage secret, Map<Identifier, Round1Package> peers, byte[] echo) {
    this.round2Secret = secret;
    this.peerRound1 = Map.copyOf(peers);
    this.echo = echo.clone();
  }

  /** The part-2 state, handed out once. */
  synchronized Optional<Part2State> takePart2State() {
    if (round2Secret == null) {
      return Optional.empty();
    }
    Part2State state = new Part2State(round2Secret, peerRound1, echo.clone());
    round2Secret = null;
    return Optional.of(state);
  }

  synchronized void erase() {
    round1Secret = null;
    round2Secret = null;
  }

  record Part2State(
      Round2SecretPackage secret, Map<Identifier, Round1Package> peerRound1, byte[] echo) {}

  String nodeOf(Identifier id) {
    for (int i = 0; i < participants.size(); i++) {
      if (Identifier.of(i + 1).equals(id)) {
        return participants.get(i);
      }
    }
    return "identifier-" + id;
  }
}
