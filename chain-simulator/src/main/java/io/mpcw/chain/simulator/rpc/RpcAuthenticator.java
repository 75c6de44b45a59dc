package io.mpcw.chain.simulator.rpc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** HTTP Basic authentication of the RPC user, compared in constant time. */
final class RpcAuthenticator {
  private final byte[] user;
  private final byte[] password;

  RpcAuthenticator(String user, String password) {
    this.user = user.getBytes(StandardCharsets.UTF_8);
    this.password = password.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether an {@code Authorization} header value carries this user and password. */
  boolean accepts(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    return colon >= 0 && matches(decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  private boolean matches(String username, String pass) {
    boolean userMatches = MessageDigest.isEqual(user, username.getBytes(StandardCharsets.UTF_8));
    boolean passwordMatches =
        MessageDigest.isEqual(password, pass.getBytes(StandardCharsets.UTF_8));
    return userMatches & passwordMatches;
  }
}
