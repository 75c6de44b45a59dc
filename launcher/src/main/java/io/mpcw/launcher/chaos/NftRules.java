package io.mpcw.launcher.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The nftables rule text of {@link NetworkCuts}: pure (nothing runs here), so it is unit-tested
 * without root. Each rule matches a socket's cgroup and the ports its peer listens on.
 */
final class NftRules {
  private final String table;
  private final Path cgroupRoot;
  private final String name;
  private final Map<String, NetworkCuts.Ports> ports;

  /** {@code ports} is the live map of the processes declared so far (read, never written). */
  NftRules(String table, Path cgroupRoot, String name, Map<String, NetworkCuts.Ports> ports) {
    this.table = table;
    this.cgroupRoot = cgroupRoot;
    this.name = name;
    this.ports = ports;
  }

  /** The run's table with its two chains, every packet accepted until a rule says otherwise. */
  String tableScript() {
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
    NetworkCuts.Ports target = portsOf(to);
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
    NetworkCuts.Ports source = portsOf(from);
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
              + table
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
        + table
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

  private NetworkCuts.Ports portsOf(String process) {
    NetworkCuts.Ports p = ports.get(process);
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
}
