import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Summarises async-profiler's collapsed stacks (one file per service, as bench/profile.sh writes
 * them; etcd's from its Go profile through bench/PprofCollapse.java): per service the samples, the share of broad areas (a sample counts in every area its stack
 * passes through, so the shares overlap), mpc-wallet's own packages, and the hottest frames.
 * usage: java bench/ProfileSummary.java <file.collapsed>...
 */
public class ProfileSummary {
  /** Areas by a frame-name fragment; the first matching fragment of an area counts it. */
  private static final Map<String, List<String>> AREAS = new LinkedHashMap<>();

  static {
    AREAS.put("JIT compiler threads", List.of("CompileBroker"));
    AREAS.put("garbage collection", List.of("VM_GenCollect", "GCTaskThread", "G1"));
    AREAS.put("JDBC (pgjdbc, HikariCP)", List.of("org/postgresql/", "com/zaxxer/hikari"));
    AREAS.put("Spring transactions", List.of("org/springframework/transaction"));
    AREAS.put("HTTP server (Tomcat)", List.of("org/apache/coyote", "org/apache/catalina"));
    AREAS.put("HTTP client (JDK)", List.of("jdk/internal/net/http"));
    AREAS.put("Netty", List.of("io/netty/"));
    AREAS.put("QUIC (quiche)", List.of("quiche", "QuicheQuic"));
    AREAS.put("gRPC / jetcd / vert.x (etcd client)", List.of("io/grpc/", "io/etcd/jetcd/", "io/vertx/"));
    AREAS.put("libsecp256k1", List.of("secp256k1_"));
    AREAS.put("BouncyCastle", List.of("org/bouncycastle/"));
    AREAS.put("JDK crypto (P-256, AES-GCM, SHA)", List.of("sun/security/", "com/sun/crypto/"));
    AREAS.put("Jackson", List.of("com/fasterxml/jackson"));
    AREAS.put("Micrometer", List.of("io/micrometer/"));
    AREAS.put("logging", List.of("ch/qos/logback", "org/slf4j"));
    // etcd (Go; bench/PprofCollapse.java)
    AREAS.put("etcd: applying entries", List.of("etcdserver.(*EtcdServer).applyAll"));
    AREAS.put("etcd: key index (mvcc tree)", List.of("mvcc.(*treeIndex)"));
    AREAS.put("etcd: compaction", List.of("mvcc.(*store).compact"));
    AREAS.put("etcd: WAL", List.of("go.etcd.io/etcd/wal."));
    AREAS.put("etcd: bbolt backend", List.of("go.etcd.io/bbolt."));
    AREAS.put("etcd: gRPC server (Go)", List.of("google.golang.org/grpc."));
    AREAS.put(
        "etcd: gRPC through Go's net/http (etcd 3.4 on a TLS port)",
        List.of("grpc.(*Server).ServeHTTP", "serverHandlerTransport"));
    AREAS.put("Go TLS", List.of("crypto/tls."));
    AREAS.put("Go garbage collection", List.of("runtime.gcBgMarkWorker", "runtime.gcDrain"));
    AREAS.put("Prometheus metrics (Go)", List.of("prometheus/client_golang"));
  }

  private static final Pattern OWN = Pattern.compile("io/mpcw/([a-z]+)/([a-z]+)/");

  public static void main(String[] args) throws IOException {
    for (String file : args) {
      summarise(Path.of(file));
    }
  }

  private static void summarise(Path file) throws IOException {
    long total = 0;
    Map<String, Long> areas = new LinkedHashMap<>();
    Map<String, Long> own = new TreeMap<>();
    Map<String, Long> self = new TreeMap<>();
    for (String line : Files.readAllLines(file)) {
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      long n = Long.parseLong(line.substring(space + 1).trim());
      String stack = line.substring(0, space);
      total += n;
      for (Map.Entry<String, List<String>> area : AREAS.entrySet()) {
        if (area.getValue().stream().anyMatch(stack::contains)) {
          areas.merge(area.getKey(), n, Long::sum);
        }
      }
      Set<String> packages = new HashSet<>();
      Matcher m = OWN.matcher(stack);
      while (m.find()) {
        packages.add("io.mpcw." + m.group(1) + "." + m.group(2));
      }
      packages.forEach(p -> own.merge(p, n, Long::sum));
      String top = stack.substring(stack.lastIndexOf(';') + 1).replaceAll("_\\[[a-z0-9]\\]$", "");
      self.merge(top, n, Long::sum);
    }
    String name = file.getFileName().toString().replace(".collapsed", "");
    System.out.printf("%n== %s: %d samples (1 ms of CPU each)%n", name, total);
    if (total == 0) {
      return;
    }
    final long all = total;
    System.out.println("-- areas (a stack counts in each area it passes through)");
    areas.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(e -> System.out.printf("%6.1f %%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
    System.out.println("-- mpc-wallet packages (inclusive)");
    own.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(15)
        .forEach(e -> System.out.printf("%6.1f %%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
    System.out.println("-- hottest frames (self)");
    self.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(12)
        .forEach(e -> System.out.printf("%6.1f %%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
  }
}
