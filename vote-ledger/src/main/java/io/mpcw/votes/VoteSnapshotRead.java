package io.mpcw.votes;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.mpcw.types.etcd.EtcdKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The gets of a {@link VoteSnapshot} and how their answers are read, apart from the etcd call, so a
 * caller can read the votes together with other keys in ONE transaction of gets (one revision, one
 * round trip): the signers read the votes and the signing locks so. {@link EtcdVoteLedger#snapshot}
 * is exactly this read, alone.
 */
public final class VoteSnapshotRead {
  private final EtcdKeys keys;
  private final UUID txId;
  private final List<String> nodes;

  public VoteSnapshotRead(EtcdKeys keys, UUID txId, Collection<String> nodeIds) {
    this.keys = keys;
    this.txId = txId;
    this.nodes = List.copyOf(new TreeSet<>(nodeIds));
  }

  /** One get per node's vote key (in node id order), then the decision key. */
  public List<Op> gets() {
    List<Op> gets = new ArrayList<>();
    for (String node : nodes) {
      gets.add(Op.get(bytes(keys.vote(txId, node)), GetOption.DEFAULT));
    }
    gets.add(Op.get(bytes(keys.decision(txId)), GetOption.DEFAULT));
    return gets;
  }

  /** How many answers {@link #parse} takes: the size of {@link #gets()}. */
  public int size() {
    return nodes.size() + 1;
  }

  /**
   * The snapshot from the answers of {@link #gets()}, in its order, read at etcd revision {@code
   * revision}.
   */
  public VoteSnapshot parse(List<GetResponse> answers, long revision) {
    List<VoteRecord> records = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    Map<String, Long> revisions = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      String node = nodes.get(i);
      for (KeyValue entry : answers.get(i).getKvs()) {
        revisions.put(node, entry.getModRevision());
        try {
          VoteRecord record =
              EtcdVoteLedger.parse(entry.getValue().toString(StandardCharsets.UTF_8));
          // the key names its writer (etcd lets only that node write there): a record under it
          // that claims another node or transaction is not this node's vote
          if (record.nodeId().equals(node) && record.txId().equals(txId)) {
            records.add(record);
          } else {
            malformed.add(node);
          }
        } catch (IllegalArgumentException e) {
          malformed.add(node);
        }
      }
    }
    Optional<String> decided =
        answers.get(nodes.size()).getKvs().stream()
            .findFirst()
            .map(e -> e.getValue().toString(StandardCharsets.UTF_8));
    return new VoteSnapshot(records, malformed, decided, revision, revisions);
  }

  private static ByteSequence bytes(String value) {
    return ByteSequence.from(value, StandardCharsets.UTF_8);
  }
}
