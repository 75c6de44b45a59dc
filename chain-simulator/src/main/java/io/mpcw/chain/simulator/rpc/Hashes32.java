package io.mpcw.chain.simulator.rpc;

import io.mpcw.crypto.tx.Txid;
import java.util.HexFormat;
import java.util.Locale;

/** Validation of the 64-hex-character hashes (txids, block hashes) that RPC parameters carry. */
final class Hashes32 {
  private Hashes32() {}

  /**
   * @throws RpcException -8 as bitcoind for a wrong length or a non-hex character
   */
  static String require(String name, String hex) {
    if (hex.length() != 64) {
      throw new RpcException(
          RpcException.INVALID_PARAMETER,
          name + " must be of length 64 (not " + hex.length() + ", for '" + hex + "')");
    }
    for (int i = 0; i < hex.length(); i++) {
      if (!HexFormat.isHexDigit(hex.charAt(i))) {
        throw new RpcException(
            RpcException.INVALID_PARAMETER,
            name + " must be hexadecimal string (not '" + hex + "')");
      }
    }
    return hex.toLowerCase(Locale.ROOT);
  }

  static Txid txid(String name, String hex) {
    return Txid.fromDisplayHex(require(name, hex));
  }
}
