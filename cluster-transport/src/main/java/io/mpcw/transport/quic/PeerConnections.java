package io.mpcw.transport.quic;

import io.mpcw.transport.pki.PeerIdentity;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.util.AttributeKey;
import java.util.HashMap;
import java.util.Map;

/**
 * Open connections per peer identity on one server. Every connection costs memory (streams, their
 * buffers, TLS state), and a certificate is all a peer needs to open more: the count per identity
 * is what bounds one compromised or buggy peer. Only touched on the server's event loop.
 */
final class PeerConnections {

  static final String TOO_MANY = "too_many_per_peer";

  /** QUIC application error code of the close that refuses a connection over the limit. */
  static final int CLOSE_CODE = 0x11;

  private static final AttributeKey<String> COUNTED_AS = AttributeKey.valueOf("mpcw.counted-as");

  private final int maxPerPeer;
  private final Map<String, Integer> open = new HashMap<>();

  PeerConnections(int maxPerPeer) {
    this.maxPerPeer = maxPerPeer;
  }

  /** False when {@code peer} holds its maximum already; else the connection is counted. */
  boolean admit(QuicChannel connection, PeerIdentity peer) {
    int current = open.getOrDefault(peer.name(), 0);
    if (current >= maxPerPeer) {
      return false;
    }
    open.put(peer.name(), current + 1);
    connection.attr(COUNTED_AS).set(peer.name());
    return true;
  }

  /** Forgets a closed connection; a connection that was never admitted changes nothing. */
  void release(QuicChannel connection) {
    String peer = connection.attr(COUNTED_AS).getAndSet(null);
    if (peer != null) {
      open.computeIfPresent(peer, (name, count) -> count > 1 ? count - 1 : null);
    }
  }
}
