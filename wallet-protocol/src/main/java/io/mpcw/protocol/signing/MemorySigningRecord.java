package io.mpcw.protocol.signing;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A signing record in memory, for tests and in-process participants: it lasts as long as the
 * object, so whoever needs it to survive a "restart" keeps the instance. Nodes use a durable one.
 */
public final class MemorySigningRecord implements SigningRecord {
  private final Map<UUID, SignedTransaction> signed = new ConcurrentHashMap<>();

  @Override
  public Optional<SignedTransaction> find(UUID txId) {
    return Optional.ofNullable(signed.get(txId));
  }

  @Override
  public synchronized void record(UUID txId, SignedTransaction transaction) {
    SignedTransaction earlier = signed.putIfAbsent(txId, transaction);
    if (earlier != null && !earlier.equals(transaction)) {
      throw SigningRecord.conflict(txId, earlier, transaction);
    }
  }
}
