package io.mpcw.protocol.signing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What etcd holds for one signing session at one revision.
 *
 * @param shares the values under each node id's share key, as written (a {@link ShareRecord} when a
 *     node wrote it; anyone can write etcd): a coordinator decodes them and checks the node's
 *     signature before it uses or blames anyone for a record
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
