package io.mpcw.orchestrator.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Admission of new payments: above {@code maxInFlight} payments that still need the cluster's work
 * (pending up to signed, counted in the shared database, so across all replicas), a new payment is
 * refused with 429 and {@code Retry-After} instead of being accepted to fail later for lack of
 * capacity.
 *
 * @param maxInFlight most payments between pending and signed at once; 0 admits without a bound
 * @param retryAfter what the 429 answer's {@code Retry-After} tells the client to wait
 * @param recount how long one count of the payments in flight serves this replica (plus the ones it
 *     admitted since), so a burst of requests does not count them once each; 0 counts for every
 *     request
 */
@ConfigurationProperties("mpcw.admission")
public record AdmissionProperties(
    @DefaultValue("1000") int maxInFlight,
    @DefaultValue("1s") Duration retryAfter,
    @DefaultValue("100ms") Duration recount) {

  public AdmissionProperties {
    if (maxInFlight < 0) {
      throw new IllegalArgumentException("mpcw.admission.max-in-flight must not be negative");
    }
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("mpcw.admission.retry-after must not be negative");
    }
    if (recount.isNegative()) {
      throw new IllegalArgumentException("mpcw.admission.recount must not be negative");
    }
  }
}
