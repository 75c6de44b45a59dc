package io.mpcw.node.journal;

import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.signing.SignedTransaction;
import io.mpcw.protocol.signing.SigningRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
  public void record(UUID txId, SignedTransaction transaction) {
    ProtocolException refused = recordAll(Map.of(txId, transaction)).get(txId);
    if (refused != null) {
      throw refused;
    }
  }

  /** Every new record in one journal write and one sync, then in memory. */
  @Override
  public synchronized Map<UUID, ProtocolException> recordAll(Map<UUID, SignedTransaction> signing) {
    Map<UUID, ProtocolException> refused = new LinkedHashMap<>();
    Map<UUID, SignedTransaction> fresh = new LinkedHashMap<>();
    signing.forEach(
        (txId, transaction) -> {
          SignedTransaction earlier = signed.get(txId);
          if (earlier == null) {
            fresh.put(txId, transaction);
          } else if (!earlier.equals(transaction)) {
            refused.put(txId, SigningRecord.conflict(txId, earlier, transaction));
          }
        });
    if (!fresh.isEmpty()) {
      Instant now = clock.instant();
      journal.appendAll(
          fresh.entrySet().stream()
              .map(
                  e ->
                      new NodeJournal.Entry(
                          KIND,
                          now,
                          List.of(
                              e.getKey().toString(),
                              e.getValue().txid(),
                              String.join(",", e.getValue().sighashes()))))
              .toList());
      signed.putAll(fresh);
    }
    return refused;
  }

  /** Payments this node signed a transaction for. */
  public int size() {
    return signed.size();
  }
}
