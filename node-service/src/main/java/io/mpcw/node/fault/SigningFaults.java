package io.mpcw.node.fault;

import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The signing faults of the fault switch, applied around the node's request handler by message type
 * alone, so that they keep working whatever the signing messages become: every {@code sign.*}
 * request is signing, {@code sign.share*} is round 2 (the shares), any other {@code sign.*} request
 * gives commitments (round 1, a precommitment). The signing participant itself stays honest.
 */
public final class SigningFaults implements AutoCloseable {

  static final String SIGNING = "sign.";
  static final String ROUND_TWO = "sign.share";

  private final ByzantineMode mode;
  private final Duration slowSignerDelay;
  private final ScheduledExecutorService timer;

  /**
   * @param timer runs the delayed requests of {@link ByzantineMode#SLOW_SIGNER}; only the delay
   *     runs there, the request is then handed to the delegate as the transport would
   */
  public SigningFaults(
      ByzantineMode mode, Duration slowSignerDelay, ScheduledExecutorService timer) {
    this.mode = mode;
    this.slowSignerDelay = slowSignerDelay;
    this.timer = timer;
  }

  /** Stops the timer; requests still held by a slow signer are dropped, as at a crash. */
  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** {@code delegate} itself when this node is honest in signing, else it with the fault. */
  public RequestHandler around(RequestHandler delegate) {
    return switch (mode) {
      case SLOW_SIGNER, WITHHOLD_SHARE, SILENT -> new Faulty(delegate);
      default -> delegate;
    };
  }

  /** Whether this node's mode drops {@code type} without ever answering. */
  boolean withholds(String type) {
    return switch (mode) {
      case SILENT -> type.startsWith(SIGNING);
      case WITHHOLD_SHARE -> type.startsWith(ROUND_TWO);
      default -> false;
    };
  }

  boolean delays(String type) {
    return mode == ByzantineMode.SLOW_SIGNER && type.startsWith(SIGNING);
  }

  private final class Faulty implements RequestHandler {
    private final RequestHandler delegate;

    Faulty(RequestHandler delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Envelope> handle(PeerIdentity peer, Envelope request) {
      String type = request.getType();
      if (withholds(type)) {
        // never completed and nothing done: the caller hears nothing before its deadline (the
        // transport's server answers DEADLINE_EXCEEDED then, as for a hung node)
        return new CompletableFuture<>();
      }
      if (delays(type)) {
        CompletableFuture<Envelope> reply = new CompletableFuture<>();
        timer.schedule(
            () -> {
              try {
                delegate
                    .handle(peer, request)
                    .whenComplete(
                        (result, failure) -> {
                          if (failure == null) {
                            reply.complete(result);
                          } else {
                            reply.completeExceptionally(failure);
                          }
                        });
              } catch (RuntimeException e) {
                reply.completeExceptionally(e);
              }
            },
            slowSignerDelay.toNanos(),
            TimeUnit.NANOSECONDS);
        return reply;
      }
      return delegate.handle(peer, request);
    }

    @Override
    public Set<String> types() {
      return delegate.types();
    }
  }
}
