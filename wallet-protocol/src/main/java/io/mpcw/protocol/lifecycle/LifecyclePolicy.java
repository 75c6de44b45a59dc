package io.mpcw.protocol.lifecycle;

import java.util.Optional;
import java.util.UUID;

/** A node's own rule for lifecycle operations: why it refuses one, or empty when it approves. */
@FunctionalInterface
public interface LifecyclePolicy {
  Optional<String> refusal(String kind, UUID walletId, String subject);
}
