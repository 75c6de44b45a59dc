package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;

/** A decoded Schnorr signature (R, z): a FROST group signature or a DKG proof of knowledge. */
public record SchnorrSignature(Point r, Scalar z) {}
