package io.mpcw.transport.quic;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The UDP sockets under QUIC: Linux's epoll through Netty's native transport when it loads, else
 * the JDK's selector. The native path reads and writes datagrams without the JDK channel's
 * per-packet buffers and selector bookkeeping, which is where a node's transport CPU went under
 * load; Netty's own {@code -Dio.netty.transport.noNative=true} turns it off (for a side-by-side
 * measurement, or a platform where it misbehaves).
 */
final class UdpSockets {
  private UdpSockets() {}

  /** Whether the native transport serves this process's QUIC sockets. */
  static boolean isNative() {
    return Epoll.isAvailable();
  }

  /** One event loop thread named {@code name}, daemon. */
  static EventLoopGroup loop(String name) {
    DefaultThreadFactory threads = new DefaultThreadFactory(name, true);
    return isNative() ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
  }

  /** The datagram channel class matching {@link #loop}. */
  static Class<? extends DatagramChannel> channel() {
    return isNative() ? EpollDatagramChannel.class : NioDatagramChannel.class;
  }

  /** "epoll" or "nio", for logs and metrics. */
  static String name() {
    return isNative() ? "epoll" : "nio";
  }
}
