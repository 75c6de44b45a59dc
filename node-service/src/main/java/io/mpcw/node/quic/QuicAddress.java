package io.mpcw.node.quic;

import java.net.InetSocketAddress;

/** Parses {@code host:port} as configured in {@code mpcw.node.quic-address}. */
public final class QuicAddress {

  private QuicAddress() {}

  public static InetSocketAddress parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException(
          "mpcw.node.quic-address must be host:port, not " + address);
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("mpcw.node.quic-address has no numeric port: " + address);
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("mpcw.node.quic-address port out of range: " + address);
    }
    return new InetSocketAddress(host, port);
  }
}
