package io.mpcw.transport.quic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import org.junit.jupiter.api.Test;

class UdpSocketsTest {

  @Test
  void quicSocketsAreNativeEpollOnLinuxX86_64() {
    assumeTrue(
        System.getProperty("os.name").startsWith("Linux")
            && System.getProperty("os.arch").equals("amd64"));
    assertThat(UdpSockets.isNative()).as(String.valueOf(Epoll.unavailabilityCause())).isTrue();
    assertThat(UdpSockets.name()).isEqualTo("epoll");
    assertThat(UdpSockets.channel()).isEqualTo(EpollDatagramChannel.class);
    EventLoopGroup loop = UdpSockets.loop("udp-sockets-test");
    try {
      assertThat(loop).isInstanceOf(EpollEventLoopGroup.class);
    } finally {
      loop.shutdownGracefully();
    }
  }
}
