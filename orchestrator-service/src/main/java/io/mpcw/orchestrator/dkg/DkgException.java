package io.mpcw.orchestrator.dkg;

import java.util.Optional;

/** A DKG that did not produce a wallet key: why, whom to blame, and whether trying again helps. */
public final class DkgException extends RuntimeException {

  /** What went wrong, as far as the caller has to branch on it. */
  public enum Kind {
    /** Nodes could not be reached or did not answer in time: the same DKG may work later. */
    UNREACHABLE,
    /** A participant misbehaved, refused, or the results disagree: this attempt is void. */
    FAILED
  }

  private final Kind kind;
  private final transient Optional<String> culprit;
  private final boolean sharesMayExist;

  /**
   * @param culprit the node whose data was found invalid, when one was named
   * @param sharesMayExist true once round 3 was sent: some participants may have stored a share for
   *     this wallet id, so a new attempt needs a new wallet id (nodes never overwrite a share)
   */
  public DkgException(Kind kind, String reason, Optional<String> culprit, boolean sharesMayExist) {
    super(reason, null, false, false);
    this.kind = kind;
    this.culprit = culprit;
    this.sharesMayExist = sharesMayExist;
  }

  public Kind kind() {
    return kind;
  }

  public Optional<String> culprit() {
    return culprit;
  }

  public boolean sharesMayExist() {
    return sharesMayExist;
  }
}
