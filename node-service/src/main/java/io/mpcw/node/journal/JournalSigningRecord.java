package io.mpcw.node.journal;

import io.mpcw.protocol.signing.SignedTransaction;
import io.mpcw.protocol.signing.SigningRecord;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's signing record in its journal: entries {@code signed <tx_id> <txid>
 * <sighash,sighash,...>}, kept for good (an approved payment stays approved in etcd, so its binding
 * must outlive it).
 */
public final class JournalSigningRecord implements SigningRecord {
  static final String KIND = "signed";

  private final NodeJournal journal;
  private final Clock clock;
  private final Map<UUID, SignedTransaction> signed = new ConcurrentHashMap<>();

  public JournalSigningRecord(NodeJournal journal, Clock clock) {
    this.journal = journal;
    this.clock = clock;
    for (NodeJournal.Entry entry : journal.entries()) {
      if (KIND.equals(entry.kind())) {
        List<String> f = entry.fields();
        signed.put(
            UUID.fromString(f.get(0)),
            new SignedTransaction(f.get(1), Arrays.asList(f.get(2).split(","))));
      }
    }
  }

  @Override
  public Optional<SignedTransaction> find(UUID txId) {
    return Optional.ofNullable(signed.get(txId));
  }

  @Override
  public synchronized void record(UUID txId, SignedTransaction transaction) {
    SignedTransaction earlier = signed.get(txId);
    if (earlier != null) {
      if (!earlier.equals(transaction)) {
        throw SigningRecord.conflict(txId, earlier, transaction);
      }
      return;
    }
    journal.append(
        new NodeJournal.Entry(
            KIND,
            clock.instant(),
            List.of(
                txId.toString(), transaction.txid(), String.join(",", transaction.sighashes()))));
    signed.put(txId, transaction);
  }

  /** Payments this node signed a transaction for. */
  public int size() {
    return signed.size();
  }
}
