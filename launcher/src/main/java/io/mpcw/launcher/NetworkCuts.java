package io.mpcw.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
    nft(tableScript(table()));
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
        rules.addAll(senderDrops(x, y));
        rules.addAll(senderDrops(y, x));
      }
    }
    nft(String.join("\n", rules));
  }

  /**
   * Asymmetric: {@code requester}'s packets still reach {@code answerer}, but every packet {@code
   * answerer} sends back from the ports it listens on is dropped before {@code requester}'s sockets
   * see it.
   */
  void dropReplies(String answerer, Collection<String> requesters) {
    List<String> rules = new ArrayList<>();
    for (String r : requesters) {
      rules.addAll(receiverDrops(r, answerer));
    }
    nft(String.join("\n", rules));
  }

  /**
   * Lossy UDP (QUIC) for {@code processes}: {@code percent} % of what they send and of what is sent
   * to their UDP ports is dropped at random. (This kernel has no {@code netem}, so delay and
   * reordering cannot be injected; see docs/reliability.md.)
   */
  void lossy(Collection<String> processes, int percent) {
    List<String> rules = new ArrayList<>();
    for (String p : processes) {
      rules.addAll(lossRules(p, percent));
    }
    nft(String.join("\n", rules));
  }

  /** Removes every cut and lossy link; processes stay in their cgroups. */
  void heal() {
    nft("flush chain inet " + table() + " out\nflush chain inet " + table() + " in");
  }

  /** The rules in force, as nft lists them. */
  String rules() {
    return run(List.of("nft", "list", "table", "inet", table()));
  }

  @Override
  public void close() {
    removeAll();
  }

  /** What this run's name still holds on the host: empty when everything was removed. */
  List<String> leftovers() {
    List<String> left = new ArrayList<>();
    if (exec(List.of("nft", "list", "table", "inet", table())).exit() == 0) {
      left.add("nftables table inet " + table());
    }
    if (Files.exists(cgroupRoot.resolve(name))) {
      left.add("cgroup " + cgroupRoot.resolve(name));
    }
    return left;
  }

  private void removeAll() {
    if (exec(List.of("nft", "list", "table", "inet", table())).exit() == 0) {
      run(List.of("nft", "delete", "table", "inet", table()));
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

  // ---- rule text (pure, unit-tested) ----

  static String tableScript(String table) {
    return "add table inet "
        + table
        + "\nadd chain inet "
        + table
        + " out { type filter hook output priority filter; policy accept; }"
        + "\nadd chain inet "
        + table
        + " in { type filter hook input priority filter; policy accept; }";
  }

  /** {@code from}'s packets to the ports {@code to} listens on. */
  List<String> senderDrops(String from, String to) {
    Ports target = portsOf(to);
    List<String> rules = new ArrayList<>();
    if (!target.tcp().isEmpty()) {
      rules.add(rule("out", from, "tcp dport " + set(target.tcp()), "drop", from + " -> " + to));
    }
    if (!target.udp().isEmpty()) {
      rules.add(rule("out", from, "udp dport " + set(target.udp()), "drop", from + " -> " + to));
    }
    return rules;
  }

  /** Packets from the ports {@code from} listens on, arriving at {@code to}'s sockets. */
  List<String> receiverDrops(String to, String from) {
    Ports source = portsOf(from);
    List<String> rules = new ArrayList<>();
    if (!source.tcp().isEmpty()) {
      rules.add(
          rule(
              "in", to, "tcp sport " + set(source.tcp()), "drop", "replies " + from + " -> " + to));
    }
    if (!source.udp().isEmpty()) {
      rules.add(
          rule(
              "in", to, "udp sport " + set(source.udp()), "drop", "replies " + from + " -> " + to));
    }
    return rules;
  }

  List<String> lossRules(String process, int percent) {
    if (percent < 1 || percent > 100) {
      throw new IllegalArgumentException("loss must be 1..100 %, not " + percent);
    }
    // numgen yields 0..99: the values 0..percent-1 are percent % of them
    String drop = "numgen random mod 100 <= " + (percent - 1) + " drop";
    List<String> rules = new ArrayList<>();
    rules.add(rule("out", process, "meta l4proto udp " + drop, "", "lossy from " + process));
    Set<Integer> udp = portsOf(process).udp();
    if (!udp.isEmpty()) {
      rules.add(
          "add rule inet "
              + table()
              + " out udp dport "
              + set(udp)
              + " "
              + drop
              + " comment \"lossy to "
              + process
              + "\"");
    }
    return rules;
  }

  private String rule(String chain, String process, String match, String verdict, String why) {
    return "add rule inet "
        + table()
        + " "
        + chain
        + " socket cgroupv2 level "
        + cgroupLevel(process)
        + " \""
        + nftCgroupPath(process)
        + "\" "
        + match
        + (verdict.isEmpty() ? "" : " " + verdict)
        + " comment \""
        + why
        + "\"";
  }

  private Ports portsOf(String process) {
    Ports p = ports.get(process);
    if (p == null) {
      throw new IllegalArgumentException("no ports declared for " + process);
    }
    return p;
  }

  /** The cgroup's path as nft resolves it: relative to {@code /sys/fs/cgroup}, where nft looks. */
  String nftCgroupPath(String process) {
    Path sysfs = Path.of("/sys/fs/cgroup");
    Path group = cgroupRoot.resolve(name).resolve(process);
    return group.startsWith(sysfs) ? sysfs.relativize(group).toString() : group.toString();
  }

  /** Depth below the cgroup v2 root (what {@code level} compares). */
  int cgroupLevel(String process) {
    return cgroupRoot.relativize(cgroupRoot.resolve(name).resolve(process)).getNameCount();
  }

  private static String set(Set<Integer> ports) {
    return "{ "
        + new TreeSet<>(ports).stream().map(String::valueOf).collect(Collectors.joining(", "))
        + " }";
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

  // ---- running the tools ----

  private record Result(int exit, String out) {}

  private static void nft(String script) {
    if (script.isBlank()) {
      return;
    }
    Result r = exec(List.of("nft", "-f", "-"), script + "\n");
    if (r.exit() != 0) {
      throw new IllegalStateException("nft refused:\n" + script + "\n" + r.out());
    }
  }

  private static String run(List<String> command) {
    Result r = exec(command);
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + r.out());
    }
    return r.out();
  }

  private static Result exec(List<String> command) {
    return exec(command, null);
  }

  private static Result exec(List<String> command, String stdin) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, out + "(timed out)");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, command.get(0) + " not runnable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
