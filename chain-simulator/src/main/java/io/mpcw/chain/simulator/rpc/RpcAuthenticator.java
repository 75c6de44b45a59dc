package io.mpcw.chain.simulator.rpc;

import com.sun.net.httpserver.BasicAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** HTTP Basic authentication of the RPC user, compared in constant time. */
final class RpcAuthenticator extends BasicAuthenticator {
  private final byte[] user;
  private final byte[] password;

  RpcAuthenticator(String user, String password) {
    super("jsonrpc", StandardCharsets.UTF_8);
    this.user = user.getBytes(StandardCharsets.UTF_8);
    this.password = password.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean checkCredentials(String username, String pass) {
    boolean userMatches = MessageDigest.isEqual(user, username.getBytes(StandardCharsets.UTF_8));
    boolean passwordMatches =
        MessageDigest.isEqual(password, pass.getBytes(StandardCharsets.UTF_8));
    return userMatches & passwordMatches;
  }
}
