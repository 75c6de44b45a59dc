package io.mpcw.orchestrator.dkg;

import io.mpcw.crypto.frost.PublicKeyPackage;

/**
 * What every participant of a finished DKG reported identically.
 *
 * @param publicKeyPackage the group's public keys, Taproot-tweaked: its verifying key is Q
 * @param groupPublicKey compressed untweaked group key P (33 bytes)
 * @param outputKey x-only Taproot output key Q (32 bytes), what the address pays to
 */
public record DkgResult(
    PublicKeyPackage publicKeyPackage, byte[] groupPublicKey, byte[] outputKey) {

  public DkgResult {
    groupPublicKey = groupPublicKey.clone();
    outputKey = outputKey.clone();
  }

  @Override
  public byte[] groupPublicKey() {
    return groupPublicKey.clone();
  }

  @Override
  public byte[] outputKey() {
    return outputKey.clone();
  }
}
