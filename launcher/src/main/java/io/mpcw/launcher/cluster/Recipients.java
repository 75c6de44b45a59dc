package io.mpcw.launcher.cluster;

import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import java.security.SecureRandom;

/** Where the tools that drive the cluster send their payments. */
public final class Recipients {
  private Recipients() {}

  /** A fresh regtest Taproot address of a random output key: no one holds its private key. */
  public static String random() {
    byte[] program = new byte[32];
    new SecureRandom().nextBytes(program);
    return SegwitAddress.encode(Network.REGTEST, 1, program);
  }
}
