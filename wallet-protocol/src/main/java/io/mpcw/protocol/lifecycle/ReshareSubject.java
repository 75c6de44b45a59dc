package io.mpcw.protocol.lifecycle;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a reshare is about: the new threshold and the new participants, in FROST identifier order
 * (participants[i] gets identifier i + 1). Its {@link #encode() text} is the subject of the
 * participants' signed votes, so an approval is an approval of exactly this set and threshold.
 *
 * <p>Text form: {@code <threshold>:<node>,<node>,…}.
 */
public record ReshareSubject(int threshold, List<String> participants) {
  /** A wallet of one signer would be a single key, and not a threshold wallet. */
  public static final int MIN_THRESHOLD = 2;

  public ReshareSubject {
    participants = List.copyOf(participants);
    problem(threshold, participants)
        .ifPresent(
            why -> {
              throw new IllegalArgumentException(why);
            });
  }

  /** Why this threshold and set cannot be a wallet's, or empty when they can. */
  public static Optional<String> problem(int threshold, List<String> participants) {
    if (threshold < MIN_THRESHOLD) {
      return Optional.of("the threshold must be at least " + MIN_THRESHOLD);
    }
    if (threshold > participants.size()) {
      return Optional.of(
          "the threshold "
              + threshold
              + " exceeds the number of participants ("
              + participants.size()
              + ")");
    }
    Set<String> seen = new HashSet<>();
    for (String node : participants) {
      if (node == null || node.isBlank() || node.contains(",") || node.contains(":")) {
        return Optional.of("a participant name is empty or holds ',' or ':'");
      }
      if (!seen.add(node)) {
        return Optional.of(node + " is listed twice");
      }
    }
    return Optional.empty();
  }

  public String encode() {
    return threshold + ":" + String.join(",", participants);
  }

  /**
   * @throws IllegalArgumentException when {@code subject} is not a valid reshare subject
   */
  public static ReshareSubject parse(String subject) {
    int colon = subject.indexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("a reshare subject is <threshold>:<node>,<node>,...");
    }
    int threshold;
    try {
      threshold = Integer.parseInt(subject.substring(0, colon));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the reshare threshold is not a number");
    }
    List<String> participants =
        new ArrayList<>(List.of(subject.substring(colon + 1).split(",", -1)));
    ReshareSubject parsed = new ReshareSubject(threshold, participants);
    if (!parsed.encode().equals(subject)) {
      throw new IllegalArgumentException("a reshare subject has one form");
    }
    return parsed;
  }

  /** The FROST identifier (1-based) of {@code node} in the new set, or 0. */
  public int identifierOf(String node) {
    return participants.indexOf(node) + 1;
  }
}
