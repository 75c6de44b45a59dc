package io.mpcw.chain.simulator.rpc;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** HTTP Basic authentication of the RPC user, compared in constant time. */
final class RpcAuthenticator extends BasicAuthenticator {
  private final byte[] user;
  private final byte[] password;

  RpcAuthenticator(String user, String password) {
    super("jsonrpc", StandardCharsets.UTF_8);
    this.user = user.getBytes(StandardCharsets.UTF_8);
    this.password = password.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether the exchange carries this user and password as HTTP Basic credentials. */
  boolean accepts(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
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
    return colon >= 0
        && checkCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  @Override
  public boolean checkCredentials(String username, String pass) {
    boolean userMatches = MessageDigest.isEqual(user, username.getBytes(StandardCharsets.UTF_8));
    boolean passwordMatches =
        MessageDigest.isEqual(password, pass.getBytes(StandardCharsets.UTF_8));
    return userMatches & passwordMatches;
  }
}
