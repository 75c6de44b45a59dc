package io.mpcw.transport;

import io.mpcw.transport.pki.IdentityNames;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a peer listens and who it must prove to be. The identity is checked against the server's
 * certificate CN because the QUIC codec does no hostname verification.
 */
public record Endpoint(String host, int port, String identity) {

  public Endpoint {
    Objects.requireNonNull(host, "host");
    IdentityNames.requireValid(identity);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  public static Endpoint of(InetSocketAddress address, String identity) {
    return new Endpoint(address.getHostString(), address.getPort(), identity);
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return identity + "@" + host + ":" + port;
  }
}
