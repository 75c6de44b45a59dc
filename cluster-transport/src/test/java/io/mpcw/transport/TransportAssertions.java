package io.mpcw.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Assertions on request outcomes shared by every transport test. */
public final class TransportAssertions {

  private TransportAssertions() {}

  /** Waits for {@code future} to fail and checks it failed with a {@code kind} transport error. */
  public static TransportException assertKind(
      CompletableFuture<?> future, TransportException.Kind kind) {
    Throwable thrown;
    try {
      Object value = future.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected " + kind + " but the request succeeded with " + value);
    } catch (ExecutionException e) {
      thrown = e.getCause();
    } catch (Exception e) {
      throw new AssertionError("expected " + kind + " but got " + e, e);
    }
    assertThat(thrown).isInstanceOf(TransportException.class);
    TransportException transport = (TransportException) thrown;
    assertThat(transport.kind()).as(transport.getMessage()).isEqualTo(kind);
    return transport;
  }
}
