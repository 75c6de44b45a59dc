package io.mpcw.launcher.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.launcher.cluster.Credentials;
import io.mpcw.launcher.cluster.OrchestratorApi;
import io.mpcw.launcher.cluster.PaymentHistory;
import io.mpcw.launcher.cluster.Processes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Payments submitted at a steady pace to the orchestrator replicas in turn (as a load balancer
 * spreads clients; a replica that does not answer is skipped), each with its own {@code
 * Idempotency-Key} so a request lost in a crash is safely sent again, and followed until final.
 * Records what the invariants need: the id the system gave each key (a second id for one key would
 * be a duplicate), every state seen, and the longest time nothing moved (the stall).
 */
final class PaymentLoad {
  /** One payment as submitted, and what has been seen of it since. */
  static final class Payment {
    final String key;
    final long sats;
    final List<String> ids = new ArrayList<>();
    volatile JsonNode last;
    final Instant submittedAt = Instant.now();
    volatile Instant confirmedAt;

    Payment(String key, long sats) {
      this.key = key;
      this.sats = sats;
    }

    String state() {
      return last == null ? "unknown" : last.path("state").asText();
    }

    boolean isFinal() {
      return last != null && PaymentHistory.isFinal(last);
    }
  }

  private final List<OrchestratorApi> replicas;
  private final Credentials credentials;
  private final String recipient;
  private final AtomicLong nextAmount;
  private final AtomicLong nextReplica = new AtomicLong();
  private final Map<String, Payment> payments = new ConcurrentHashMap<>();
  private final Map<String, String> seenStates = new ConcurrentHashMap<>();
  private volatile Instant lastChange = Instant.now();
  private volatile Duration maxStall = Duration.ZERO;

  PaymentLoad(
      List<OrchestratorApi> replicas, Credentials credentials, String recipient, long firstAmount) {
    this.replicas = replicas;
    this.credentials = credentials;
    this.recipient = recipient;
    this.nextAmount = new AtomicLong(firstAmount);
  }

  /** Submits one payment; retries the same key on any replica until one acknowledges it. */
  Payment submit(String scenario, Duration patience) {
    long sats = nextAmount.getAndIncrement();
    Payment p = new Payment(scenario + "-" + sats, sats);
    String body = "{\"recipient\":\"" + recipient + "\",\"amount_sats\":" + sats + "}";
    Instant deadline = Instant.now().plus(patience);
    // each payment starts at the next replica: every replica then serves payments of its own from
    // the POST on, instead of the first taking them all and the others only what their polls win
    long attempt = nextReplica.getAndIncrement();
    while (Instant.now().isBefore(deadline)) {
      OrchestratorApi api = replicas.get((int) (attempt++ % replicas.size()));
      Optional<OrchestratorApi.Answer> answer =
          api.post(
              "/api/v1/transactions",
              credentials.submitKey(),
              body,
              Duration.ofSeconds(5),
              Map.of("Idempotency-Key", p.key));
      if (answer.isPresent() && (answer.get().status() == 201 || answer.get().status() == 200)) {
        String id = answer.get().body().path("id").asText();
        synchronized (p.ids) {
          if (!p.ids.contains(id)) {
            p.ids.add(id);
          }
        }
        payments.put(p.key, p);
        return p;
      }
      Processes.sleep(300);
    }
    throw new IllegalStateException("no orchestrator acknowledged payment " + p.key);
  }

  /** Reads every unfinished payment once, through whichever replica answers. */
  void poll() {
    Instant now = Instant.now();
    boolean pending = false;
    for (Payment p : payments.values()) {
      if (p.isFinal()) {
        continue;
      }
      pending = true;
      String id = p.ids.get(0);
      for (OrchestratorApi api : replicas) {
        Optional<JsonNode> tx = api.get("/api/v1/transactions/" + id);
        if (tx.isPresent()) {
          p.last = tx.get();
          String state = p.state();
          if (!state.equals(seenStates.put(id, state))) {
            lastChange = now;
            if (state.equals("confirmed")) {
              p.confirmedAt = now;
            }
          }
          break;
        }
      }
    }
    if (pending) {
      Duration stall = Duration.between(lastChange, now);
      if (stall.compareTo(maxStall) > 0) {
        maxStall = stall;
      }
    } else {
      lastChange = now;
    }
  }

  /** Polls until every payment is final or {@code timeout} has passed. */
  boolean awaitFinal(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      poll();
      if (payments.values().stream().allMatch(Payment::isFinal)) {
        return true;
      }
      Processes.sleep(500);
    }
    return false;
  }

  long confirmedCount() {
    return payments.values().stream().filter(p -> p.state().equals("confirmed")).count();
  }

  /**
   * Payments submitted at or after {@code from} and seen confirmed before {@code to}: what a fault
   * between the two let through end to end (a payment signed before the fault and confirmed during
   * it does not count, since confirming needs only the chain).
   */
  long submittedAndConfirmedBetween(Instant from, Instant to) {
    return payments.values().stream()
        .filter(p -> !p.submittedAt.isBefore(from))
        .filter(p -> p.confirmedAt != null && p.confirmedAt.isBefore(to))
        .count();
  }

  List<Payment> payments() {
    return List.copyOf(payments.values());
  }

  /** Forgets the stall so far (the next scenario measures its own). */
  Duration takeMaxStall() {
    Duration stall = maxStall;
    maxStall = Duration.ZERO;
    lastChange = Instant.now();
    return stall;
  }
}
