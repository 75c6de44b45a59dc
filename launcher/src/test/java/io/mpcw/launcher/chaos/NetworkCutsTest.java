package io.mpcw.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real nftables rules and cgroups on this host's loopback (needs root, {@code nft} and cgroup v2;
 * skipped without them). A shell in its own cgroup connects to a socket of this test: the rules
 * must cut exactly that link, and nothing may be left after {@code close()}.
 */
class NetworkCutsTest {
  private ServerSocket server;
  private NetworkCuts cuts;
  private final String name = "mpcw-test-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void open() throws IOException {
    assumeTrue("root".equals(System.getProperty("user.name")), "cutting links needs root");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "nft missing");
    assumeTrue(
        Files.readString(Path.of("/proc/mounts")).contains(" cgroup2 "), "cgroup v2 not mounted");
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    cuts = new NetworkCuts(name, NetworkCuts.cgroup2Mount());
    cuts.open();
    cuts.listens("server", NetworkCuts.Ports.tcp(server.getLocalPort()));
    cuts.listens("client", new NetworkCuts.Ports(java.util.Set.of(), java.util.Set.of()));
  }

  @AfterEach
  void close() throws IOException {
    if (cuts != null) {
      cuts.close();
      assertThat(cuts.leftovers()).isEmpty();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aCutLinkDropsTheClientsPacketsWhileOthersStillConnectAndHealRestoresIt() throws Exception {
    assertThat(connectFromOwnCgroup()).isEqualTo("connected");

    cuts.cut(List.of("client"), List.of("server"));
    assertThat(cuts.rules()).contains("client -> server");
    assertThat(connectFromOwnCgroup()).isEqualTo("cut");
    // this JVM is in no cgroup of the run: its link to the server stays
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
      assertThat(s.isConnected()).isTrue();
    }

    cuts.heal();
    assertThat(connectFromOwnCgroup()).isEqualTo("connected");
  }

  @Test
  void droppedRepliesLetTheRequestArriveButTheClientNeverHearsBack() throws Exception {
    cuts.dropReplies("server", List.of("client"));
    assertThat(cuts.rules()).contains("replies server -> client");
    assertThat(connectFromOwnCgroup()).isEqualTo("cut");
    cuts.heal();
    assertThat(connectFromOwnCgroup()).isEqualTo("connected");
  }

  @Test
  void aLossyLinkDropsEveryPacketAtOneHundredPercentAndNoneAfterHeal() throws Exception {
    // 100 % makes the random drop deterministic; the chaos scenario uses 5 %
    cuts.lossy(List.of("client"), 100);
    assertThat(cuts.rules()).contains("lossy from client").contains("mod 100 <= 99");
    assertThat(udpEchoFromOwnCgroup()).isEqualTo("lost");
    cuts.heal();
    assertThat(udpEchoFromOwnCgroup()).isEqualTo("echoed");
  }

  @Test
  void aNewRunRemovesWhatAKilledRunLeftBehind() throws Exception {
    cuts.cut(List.of("client"), List.of("server"));
    cuts.lossy(List.of("client"), 5);
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    cuts.join("client", sleeper.pid());
    try {
      // a killed run never closes: the next run on the same name opens over its remains
      NetworkCuts next = new NetworkCuts(name, NetworkCuts.cgroup2Mount());
      next.listens("server", NetworkCuts.Ports.tcp(server.getLocalPort()));
      next.listens("client", new NetworkCuts.Ports(java.util.Set.of(), java.util.Set.of()));
      next.open();
      assertThat(next.rules()).doesNotContain("client -> server");
      assertThat(connectFromOwnCgroup()).isEqualTo("connected");
      next.close();
      assertThat(next.leftovers()).isEmpty();
      // the process of the killed run was moved out of the removed cgroup, not killed
      assertThat(sleeper.isAlive()).isTrue();
    } finally {
      sleeper.destroyForcibly();
    }
  }

  @Test
  void cuttingToAProcessWithoutDeclaredPortsIsRefused() {
    assertThatThrownBy(() -> cuts.cut(List.of("client"), List.of("nobody")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nobody");
  }

  @Test
  void rulesMatchTheSendersCgroupAndTheReceiversPorts(@org.junit.jupiter.api.io.TempDir Path root) {
    NetworkCuts offline = new NetworkCuts("mpcw-chaos-7", root);
    offline.listens(
        "etcd-0", new NetworkCuts.Ports(java.util.Set.of(2380, 2379), java.util.Set.of()));
    offline.listens(
        "node-1", new NetworkCuts.Ports(java.util.Set.of(8101), java.util.Set.of(7101)));
    assertThat(offline.ruleText().senderDrops("node-1", "etcd-0"))
        .containsExactly(
            "add rule inet mpcw_chaos_7 out socket cgroupv2 level 2 \""
                + root
                + "/mpcw-chaos-7/node-1\""
                + " tcp dport { 2379, 2380 } drop comment \"node-1 -> etcd-0\"");
    assertThat(offline.ruleText().receiverDrops("etcd-0", "node-1"))
        .containsExactly(
            "add rule inet mpcw_chaos_7 in socket cgroupv2 level 2 \""
                + root
                + "/mpcw-chaos-7/etcd-0\""
                + " tcp sport { 8101 } drop comment \"replies node-1 -> etcd-0\"",
            "add rule inet mpcw_chaos_7 in socket cgroupv2 level 2 \""
                + root
                + "/mpcw-chaos-7/etcd-0\""
                + " udp sport { 7101 } drop comment \"replies node-1 -> etcd-0\"");
  }

  /** A UDP datagram from a shell in the client cgroup to a socket of this test. */
  private String udpEchoFromOwnCgroup() throws Exception {
    try (java.net.DatagramSocket udp =
        new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      udp.setSoTimeout(3_000);
      Process p =
          new ProcessBuilder(
                  "bash", "-c", "read go; echo ping > /dev/udp/127.0.0.1/" + udp.getLocalPort())
              .redirectErrorStream(true)
              .start();
      cuts.join("client", p.pid());
      p.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
      p.getOutputStream().flush();
      p.waitFor(10, TimeUnit.SECONDS);
      try {
        udp.receive(new java.net.DatagramPacket(new byte[64], 64));
        return "echoed";
      } catch (java.net.SocketTimeoutException e) {
        return "lost";
      }
    }
  }

  /**
   * A shell that joins the client cgroup first, then tries to connect (3 s, so a dropped SYN shows
   * as a failure rather than a hang).
   */
  private String connectFromOwnCgroup() throws Exception {
    Process p =
        new ProcessBuilder(
                "bash",
                "-c",
                "read go; timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/"
                    + server.getLocalPort()
                    + "' && echo connected || echo cut")
            .redirectErrorStream(true)
            .start();
    cuts.join("client", p.pid());
    p.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().flush();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      p.waitFor(10, TimeUnit.SECONDS);
      return line;
    }
  }
}
