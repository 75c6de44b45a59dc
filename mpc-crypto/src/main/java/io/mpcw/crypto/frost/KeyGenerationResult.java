package io.mpcw.crypto.frost;

/** A participant's key package together with the group's public key package. */
public record KeyGenerationResult(KeyPackage keyPackage, PublicKeyPackage publicKeyPackage) {}
