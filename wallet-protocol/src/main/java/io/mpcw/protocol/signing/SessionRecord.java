package io.mpcw.protocol.signing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What etcd holds for one signing session at one revision.
 *
 * @param shares the recorded share records by node id, as the nodes wrote them (JSON of {@link
 *     SignShareResponse}); a coordinator decodes and verifies them before use
 * @param abortedBecause present once the session was aborted, with the aborting coordinator's
 *     reason
 */
public record SessionRecord(Map<String, byte[]> shares, Optional<String> abortedBecause) {
  public SessionRecord {
    shares = Map.copyOf(shares);
  }

  public boolean aborted() {
    return abortedBecause.isPresent();
  }

  /** Signers whose shares are not recorded, in the order given. */
  public List<String> missing(Collection<String> signers) {
    List<String> out = new ArrayList<>();
    signers.forEach(
        s -> {
          if (!shares.containsKey(s)) {
            out.add(s);
          }
        });
    return out;
  }

  /** Every signer's shares are recorded: nothing can abort the session any more. */
  public boolean completeFor(Collection<String> signers) {
    return missing(signers).isEmpty();
  }
}
