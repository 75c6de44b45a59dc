package io.mpcw.orchestrator.dkg;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.transport.TransportException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the failures of one DKG round into one verdict: a named culprit first (it explains the
 * others), then a participant that refused or answered nonsense, and only then nodes that did not
 * answer. Apart from {@link DkgCoordinator} because who is to blame is a rule of its own, and the
 * API's answer (and a wallet's fate) depends on it.
 */
final class DkgFailures {
  private static final Pattern CULPRIT = Pattern.compile("culprit=([A-Za-z0-9._-]+)");
  private static final Set<String> CULPRIT_CODES =
      Set.of(ProtocolErrors.DKG_CULPRIT, ProtocolErrors.DKG_ECHO_MISMATCH);

  private DkgFailures() {}

  /**
   * @param sharesMayExist a node may already have stored a share of this wallet
   */
  static DkgException classify(
      String step, Map<String, Throwable> failures, boolean sharesMayExist) {
    for (var entry : failures.entrySet()) {
      if (entry.getValue() instanceof TransportException te
          && te.remoteCode().filter(CULPRIT_CODES::contains).isPresent()) {
        Matcher named = CULPRIT.matcher(String.valueOf(te.getMessage()));
        Optional<String> culprit = named.find() ? Optional.of(named.group(1)) : Optional.empty();
        return new DkgException(
            DkgException.Kind.FAILED,
            entry.getKey() + " refused " + step + ": " + remoteDetail(te),
            culprit,
            sharesMayExist);
      }
    }
    for (var entry : failures.entrySet()) {
      Throwable cause = entry.getValue();
      if (cause instanceof IllegalArgumentException) {
        return new DkgException(
            DkgException.Kind.FAILED,
            entry.getKey() + " answered " + step + " with a malformed reply",
            Optional.of(entry.getKey()),
            sharesMayExist);
      }
      if (cause instanceof TransportException te && !unreachable(te)) {
        // a node that already holds a share of this wallet id will never take another one
        boolean holdsShare =
            te.remoteCode().filter(ProtocolErrors.WALLET_EXISTS::equals).isPresent();
        return new DkgException(
            DkgException.Kind.FAILED,
            entry.getKey() + " refused " + step + ": " + remoteDetail(te),
            Optional.empty(),
            sharesMayExist || holdsShare);
      }
    }
    return new DkgException(
        DkgException.Kind.UNREACHABLE,
        "no answer to " + step + " from " + String.join(", ", failures.keySet()),
        Optional.empty(),
        sharesMayExist);
  }

  private static boolean unreachable(TransportException e) {
    if (e.kind() == TransportException.Kind.REMOTE_ERROR) {
      return e.remoteCode().filter(ProtocolErrors::retryable).isPresent();
    }
    return e.retryable();
  }

  /** The node's own words: the transport prefixes its kind, which the client has no use for. */
  private static String remoteDetail(TransportException e) {
    String message = String.valueOf(e.getMessage());
    String prefix = e.kind() + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }
}
