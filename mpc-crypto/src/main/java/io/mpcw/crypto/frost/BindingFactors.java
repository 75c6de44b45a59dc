package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import java.util.Map;
import java.util.Optional;

/**
 * The per-signer binding factors ρ_i (RFC 9591 §4.4), their hash inputs, and the group commitment R
 * = Σ (D_i + ρ_i·E_i) they define.
 */
public final class BindingFactors {
  private final Map<Identifier, byte[]> inputs;
  private final Map<Identifier, Scalar> factors;
  private final Point groupCommitment;

  BindingFactors(Map<Identifier, byte[]> inputs, Map<Identifier, Scalar> factors, Point r) {
    this.inputs = Map.copyOf(inputs);
    this.factors = Map.copyOf(factors);
    this.groupCommitment = r;
  }

  public Optional<byte[]> input(Identifier id) {
    return Optional.ofNullable(inputs.get(id)).map(byte[]::clone);
  }

  public Optional<Scalar> factor(Identifier id) {
    return Optional.ofNullable(factors.get(id));
  }

  public Point groupCommitment() {
    return groupCommitment;
  }

  /** The commitment share D_i + ρ_i·E_i of one signer. */
  Point commitmentShare(SigningCommitments c) {
    return c.hiding().add(c.binding().multiplyPublic(factors.get(c.identifier())));
  }
}
