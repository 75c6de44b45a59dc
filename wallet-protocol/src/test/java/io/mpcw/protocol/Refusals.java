package io.mpcw.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts a {@link ProtocolException} by code and detail. */
public final class Refusals {
  private Refusals() {}

  public static void assertRefused(ThrowingCallable call, String code, String detail) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(detail);
  }
}
