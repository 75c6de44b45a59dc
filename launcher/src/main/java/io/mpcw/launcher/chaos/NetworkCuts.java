package io.mpcw.launcher.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where a chaos run cuts the network between two of its processes, all on this host's loopback.
 *
 * <p>On loopback a process's outgoing connections leave from 127.0.0.1 whatever address it listens
 * on (the kernel's local route has {@code src 127.0.0.1}), so no address can tell who sent a
 * packet. The socket's cgroup can: every process of the cluster joins its own cgroup v2 ({@code
 * mpcw-chaos-<offset>/<name>}), and the rules of one nftables table ({@code inet
 * mpcw_chaos_<offset>}) match the sending socket's cgroup (output hook) with the ports the receiver
 * listens on, or the receiving socket's cgroup (input hook) with the ports the sender answers from.
 * The services need no setting for this, and the rules touch no other process on the host.
 *
 * <p>Lossy links: a random share of a process's UDP packets is dropped by the same table.
 *
 * <p>Everything is removed by {@link #close()} (also from a shutdown hook), and {@link #open()}
 * first removes what a killed run left; {@link #leftovers()} proves nothing is left.
 */
final class NetworkCuts implements AutoCloseable {
  private final String name;
  private final Path cgroupRoot;
  private final Map<String, Ports> ports = new LinkedHashMap<>();
  private final NftRules ruleText;

  /** The TCP and UDP ports a process listens on: how its peers reach it. */
  record Ports(Set<Integer> tcp, Set<Integer> udp) {
    Ports {
      tcp = Set.copyOf(tcp);
      udp = Set.copyOf(udp);
    }

    static Ports tcp(Integer... ports) {
      return new Ports(Set.of(ports), Set.of());
    }
  }

  /**
   * @param offset the run's port offset: it names the table and the cgroups, so two runs on other
   *     offsets never touch each other's
   */
  NetworkCuts(int offset) {
    this("mpcw-chaos-" + offset, cgroup2Mount());
  }

  NetworkCuts(String name, Path cgroupRoot) {
    this.name = name;
    this.cgroupRoot = cgroupRoot;
    this.ruleText = new NftRules(table(), cgroupRoot, name, ports);
  }

  /** The rule text for the processes declared so far. */
  NftRules ruleText() {
    return ruleText;
  }

  String table() {
    return name.replace('-', '_');
  }

  /** Removes what an earlier, killed run left, then creates the table and the cgroup parent. */
  void open() {
    removeAll();
    try {
      Files.createDirectories(cgroupRoot.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create cgroup " + name, e);
    }
    HostCommands.nft(ruleText.tableScript());
  }

  /**
   * Declares the ports {@code process} listens on and creates its cgroup (nft resolves a cgroup
   * when a rule is added, so it must exist before any rule names it).
   */
  void listens(String process, Ports listening) {
    ports.put(process, listening);
    try {
      Files.createDirectories(cgroupRoot.resolve(name).resolve(process));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create cgroup for " + process, e);
    }
  }

  /**
   * A script in {@code dir} that moves itself into the cgroup named by the value of {@code
   * nameFlag} among its arguments, then runs {@code binary} with them. A process moved after it
   * opened a socket would not do: a socket keeps the cgroup it was created in.
   */
  Path wrapper(Path dir, Path binary, String nameFlag) {
    Path script = dir.resolve(binary.getFileName() + "-in-cgroup.sh");
    String text =
        "#!/bin/sh\n"
            + "# written by ./mpcw chaos: joins the cgroup named by "
            + nameFlag
            + ", then runs "
            + binary
            + "\n"
            + "name=; prev=\n"
            + "for a in \"$@\"; do [ \"$prev\" = '"
            + nameFlag
            + "' ] && name=$a; prev=$a; done\n"
            + "echo $$ > '"
            + cgroupRoot.resolve(name)
            + "'/\"$name\"/cgroup.procs || exit 97\n"
            + "exec '"
            + binary
            + "' \"$@\"\n";
    try {
      Files.createDirectories(dir);
      Files.writeString(script, text);
      script.toFile().setExecutable(true, true);
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + script, e);
    }
  }

  /** Moves {@code pid} and its descendants into {@code process}'s own cgroup. */
  void join(String process, long pid) {
    Path group = cgroupRoot.resolve(name).resolve(process);
    try {
      Files.createDirectories(group);
      List<Long> pids = new ArrayList<>();
      pids.add(pid);
      ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
      for (long p : pids) {
        try {
          Files.writeString(group.resolve("cgroup.procs"), Long.toString(p));
        } catch (IOException e) {
          // a process that exited meanwhile cannot be moved, and sends nothing
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create cgroup for " + process, e);
    }
  }

  /** Cuts every link between each process of {@code a} and each of {@code b}, both directions. */
  void cut(Collection<String> a, Collection<String> b) {
    List<String> rules = new ArrayList<>();
    for (String x : a) {
      for (String y : b) {
        rules.addAll(ruleText.senderDrops(x, y));
        rules.addAll(ruleText.senderDrops(y, x));
      }
    }
    HostCommands.nft(String.join("\n", rules));
  }

  /**
   * Asymmetric: {@code requester}'s packets still reach {@code answerer}, but every packet {@code
   * answerer} sends back from the ports it listens on is dropped before {@code requester}'s sockets
   * see it.
   */
  void dropReplies(String answerer, Collection<String> requesters) {
    List<String> rules = new ArrayList<>();
    for (String r : requesters) {
      rules.addAll(ruleText.receiverDrops(r, answerer));
    }
    HostCommands.nft(String.join("\n", rules));
  }

  /**
   * Lossy UDP (QUIC) for {@code processes}: {@code percent} % of what they send and of what is sent
   * to their UDP ports is dropped at random. (This kernel has no {@code netem}, so delay and
   * reordering cannot be injected; see docs/reliability.md.)
   */
  void lossy(Collection<String> processes, int percent) {
    List<String> rules = new ArrayList<>();
    for (String p : processes) {
      rules.addAll(ruleText.lossRules(p, percent));
    }
    HostCommands.nft(String.join("\n", rules));
  }

  /** Removes every cut and lossy link; processes stay in their cgroups. */
  void heal() {
    HostCommands.nft("flush chain inet " + table() + " out\nflush chain inet " + table() + " in");
  }

  /** The rules in force, as nft lists them. */
  String rules() {
    return HostCommands.run(List.of("nft", "list", "table", "inet", table()));
  }

  @Override
  public void close() {
    removeAll();
  }

  /** What this run's name still holds on the host: empty when everything was removed. */
  List<String> leftovers() {
    List<String> left = new ArrayList<>();
    if (HostCommands.exec(List.of("nft", "list", "table", "inet", table())).exit() == 0) {
      left.add("nftables table inet " + table());
    }
    if (Files.exists(cgroupRoot.resolve(name))) {
      left.add("cgroup " + cgroupRoot.resolve(name));
    }
    return left;
  }

  private void removeAll() {
    if (HostCommands.exec(List.of("nft", "list", "table", "inet", table())).exit() == 0) {
      HostCommands.run(List.of("nft", "delete", "table", "inet", table()));
    }
    removeCgroups();
  }

  /** A cgroup can only be removed empty: processes still in it go back to the root cgroup. */
  private void removeCgroups() {
    Path parent = cgroupRoot.resolve(name);
    if (!Files.isDirectory(parent)) {
      return;
    }
    try (Stream<Path> children = Files.list(parent)) {
      for (Path child : children.filter(Files::isDirectory).toList()) {
        for (String pid : Files.readAllLines(child.resolve("cgroup.procs"))) {
          try {
            Files.writeString(cgroupRoot.resolve("cgroup.procs"), pid.trim());
          } catch (IOException e) {
            // exited meanwhile
          }
        }
        Files.delete(child);
      }
      Files.delete(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove cgroup " + parent, e);
    }
  }

  /** Where cgroup v2 is mounted ({@code /sys/fs/cgroup}, or {@code .../unified} in hybrid mode). */
  static Path cgroup2Mount() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
        String[] f = line.split(" ");
        if (f.length > 2 && f[2].equals("cgroup2")) {
          return Path.of(f[1]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("cgroup v2 is not mounted: links cannot be cut per process");
  }
}
