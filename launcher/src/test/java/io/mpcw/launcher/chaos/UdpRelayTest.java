package io.mpcw.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real UDP on loopback: an echo server behind the relay, a client in front of it. */
class UdpRelayTest {
  private DatagramSocket echo;
  private Thread echoing;
  private UdpRelay relay;
  private DatagramSocket client;

  @BeforeEach
  void start() throws Exception {
    echo = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    echoing =
        new Thread(
            () -> {
              byte[] buffer = new byte[2048];
              while (!echo.isClosed()) {
                try {
                  DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                  echo.receive(p);
                  echo.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                } catch (java.io.IOException e) {
                  return;
                }
              }
            });
    echoing.start();
    relay =
        new UdpRelay(
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", echo.getLocalPort()),
            7);
    client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    client.setSoTimeout(3_000);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    relay.close();
    echo.close();
    echoing.join(2_000);
  }

  @Test
  void withoutImpairmentEveryDatagramComesBackInOrder() throws Exception {
    for (int i = 0; i < 20; i++) {
      send(Integer.toString(i));
    }
    assertThat(receive(20)).containsExactlyElementsOf(numbers(20));
    assertThat(relay.dropped()).isZero();
  }

  @Test
  void aDelayHoldsEachDatagramOnTheWayThereAndBack() throws Exception {
    relay.impair(new UdpRelay.Impairment(Duration.ofMillis(200), 0, 0, Duration.ZERO));
    long sent = System.nanoTime();
    send("slow");

    assertThat(receive(1)).containsExactly("slow");
    // held 200 ms each way: it cannot be back sooner (a lower bound, not a speed)
    assertThat(Duration.ofNanos(System.nanoTime() - sent))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void heldBackDatagramsAreOvertakenByLaterOnesAndNoneIsLost() throws Exception {
    relay.impair(new UdpRelay.Impairment(Duration.ZERO, 0, 30, Duration.ofMillis(300)));
    for (int i = 0; i < 40; i++) {
      send(Integer.toString(i));
    }
    List<String> back = receive(40);

    assertThat(back).containsExactlyInAnyOrderElementsOf(numbers(40));
    assertThat(back).isNotEqualTo(numbers(40));
    assertThat(relay.reordered()).isPositive();
  }

  @Test
  void atFullLossNothingComesBackAndHealingRestoresTheLink() throws Exception {
    relay.impair(new UdpRelay.Impairment(Duration.ZERO, 100, 0, Duration.ZERO));
    send("lost");
    client.setSoTimeout(500);
    assertThatThrownBy(() -> receive(1)).isInstanceOf(SocketTimeoutException.class);
    assertThat(relay.dropped()).isEqualTo(1);

    relay.impair(UdpRelay.Impairment.NONE);
    client.setSoTimeout(3_000);
    send("back");
    assertThat(receive(1)).containsExactly("back");
  }

  @Test
  void aShareAboveOneHundredPercentIsRefused() {
    assertThatThrownBy(() -> new UdpRelay.Impairment(Duration.ZERO, 101, 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void send(String text) throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    client.send(
        new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", relay.port())));
  }

  private List<String> receive(int count) throws Exception {
    List<String> out = new ArrayList<>();
    byte[] buffer = new byte[2048];
    while (out.size() < count) {
      DatagramPacket p = new DatagramPacket(buffer, buffer.length);
      client.receive(p);
      out.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static List<String> numbers(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Integer.toString(i));
    }
    return out;
  }
}
