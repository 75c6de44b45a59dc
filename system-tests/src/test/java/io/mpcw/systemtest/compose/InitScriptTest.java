package io.mpcw.systemtest.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mpcw.systemtest.compose.Compose.Mount;
import io.mpcw.systemtest.compose.Compose.Service;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the compose stack's one-shot init (docker/bin/mpcw-init, with the launcher jar the build
 * made) outside Docker, on directories laid out as the compose file mounts the volumes, and reads
 * what each service would get from its volumes.
 */
class InitScriptTest {
  static Path root;
  static Path jar;
  static Compose compose;

  @TempDir Path dir;

  @BeforeAll
  static void locate() {
    root = Repo.root();
    jar = root.resolve("launcher/target/mpcw-launcher.jar");
    compose = new Compose(Repo.yaml(root.resolve("docker/docker-compose.yml")));
  }

  /** volume name → the directory standing for it (where init mounts it, under {@code dir}). */
  private Map<String, Path> volumes() throws IOException {
    Map<String, Path> volumes = new LinkedHashMap<>();
    for (Mount m : compose.services.get("init").mounts()) {
      assertThat(m.target()).startsWith("/var/lib/mpcw/");
      Path path = dir.resolve(m.target().substring("/var/lib/mpcw/".length()));
      Files.createDirectories(path);
      volumes.put(m.source(), path);
    }
    return volumes;
  }

  private String run(Map<String, String> env, String... args) throws Exception {
    assumeTrue(Files.isRegularFile(jar), "needs " + jar + " (./mvnw package builds it)");
    ProcessBuilder builder =
        new ProcessBuilder(
            Stream.concat(
                    Stream.of("bash", root.resolve("docker/bin/mpcw-init").toString()),
                    Stream.of(args))
                .toList());
    builder.environment().put("MPCW_INIT_ROOT", dir.toString());
    builder.environment().put("MPCW_LAUNCHER_JAR", jar.toString());
    builder
        .environment()
        .put("MPCW_NODES", compose.services.get("init").environment().get("MPCW_NODES"));
    builder.environment().remove("MPCW_SUBMIT_KEY");
    builder.environment().remove("MPCW_READ_KEY");
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).doesNotContain("PRIVATE KEY");
    return output;
  }

  private static Set<String> files(Path volume) throws IOException {
    try (Stream<Path> files = Files.list(volume)) {
      return files
          .map(f -> f.getFileName().toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Path volumeOf(Service service, String path, Map<String, Path> volumes) {
    return volumes.get(Compose.mountOf(service, path).orElseThrow().source());
  }

  @Test
  void givesEachIdentityOnlyItsOwnFilesAndTheOrchestratorTheKeyHashes() throws Exception {
    Map<String, Path> volumes = volumes();
    String output =
        run(Map.of("MPCW_SUBMIT_KEY", "test-submit-key", "MPCW_READ_KEY", "test-read-key"));
    assertThat(output).doesNotContain("test-submit-key");

    Service registry = compose.services.get("registry");
    assertThat(files(volumeOf(registry, registry.environment().get("MPCW_PKI_DIR"), volumes)))
        .containsExactly("ca.crt");

    Path ca =
        volumeOf(registry, registry.environment().get("MPCW_PKI_DIR"), volumes).resolve("ca.crt");
    for (Service node : ComposeChecks.nodes(compose)) {
      String id = node.name();
      Path pki = volumeOf(node, node.environment().get("MPCW_PKI_DIR"), volumes);
      assertThat(files(pki)).containsExactlyInAnyOrder("ca.crt", id + ".crt", id + ".key");
      assertThat(Files.getPosixFilePermissions(pki.resolve(id + ".key")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      X509Certificate cert = certificate(pki.resolve(id + ".crt"));
      assertThat(cert.getSubjectX500Principal().getName()).matches("(.*,)?CN=" + id + "(,.*)?");
      cert.verify(certificate(ca).getPublicKey());

      String keyFile = node.environment().get("MPCW_SHARE_KEY_FILE");
      Path key = volumeOf(node, keyFile, volumes).resolve(Path.of(keyFile).getFileName());
      assertThat(Base64.getDecoder().decode(Files.readString(key).strip())).hasSize(32);
      assertThat(Files.getPosixFilePermissions(key))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    Service orchestrator = compose.services.get("orchestrator");
    Set<String> orchestratorFiles =
        files(volumeOf(orchestrator, orchestrator.environment().get("MPCW_PKI_DIR"), volumes));
    assertThat(orchestratorFiles)
        .contains("ca.crt", "orchestrator.crt", "orchestrator.key", "node-5.crt");
    assertThat(orchestratorFiles).noneMatch(f -> f.startsWith("node-") && f.endsWith(".key"));
    String envFile = orchestrator.environment().get("MPCW_ENV_FILE");
    Path hashes = volumeOf(orchestrator, envFile, volumes).resolve(Path.of(envFile).getFileName());
    assertThat(Files.readAllLines(hashes))
        .containsExactly(
            "MPCW_API_KEYS_0_SHA256=" + sha256("test-submit-key"),
            "MPCW_API_KEYS_1_SHA256=" + sha256("test-read-key"));
    // each etcd member: the CA and the members' pair (CN etcd) in its data volume's pki/
    for (String member : List.of("etcd-1", "etcd-2", "etcd-3")) {
      Path pki = volumes.get(member + "-data").resolve("pki");
      assertThat(files(pki)).containsExactlyInAnyOrder("ca.crt", "etcd.crt", "etcd.key");
      assertThat(Files.getPosixFilePermissions(pki.resolve("etcd.key")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(certificate(pki.resolve("etcd.crt")).getSubjectX500Principal().getName())
          .matches("(.*,)?CN=etcd(,.*)?");
      Service service = compose.services.get(member);
      assertThat(Compose.mountOf(service, "/var/lib/etcd").orElseThrow().source())
          .isEqualTo(member + "-data");
      assertThat(service.environment().get("ETCD_KEY_FILE"))
          .isEqualTo("/var/lib/etcd/pki/etcd.key");
    }
    // the operator's etcd root pair only for etcd-auth, which provisions users and roles with it
    Service etcdAuth = compose.services.get("etcd-auth");
    Path admin = volumeOf(etcdAuth, etcdAuth.environment().get("MPCW_PKI_DIR"), volumes);
    assertThat(files(admin)).containsExactlyInAnyOrder("ca.crt", "root.crt", "root.key");
    assertThat(certificate(admin.resolve("root.crt")).getSubjectX500Principal().getName())
        .matches("(.*,)?CN=root(,.*)?");
    // the CA key is only in the state volume, which no service but init mounts
    assertThat(files(volumes.get("mpcw-state").resolve("pki"))).contains("ca.key");
    compose.services.values().stream()
        .filter(s -> !s.name().equals("init"))
        .forEach(
            s -> assertThat(s.mounts()).extracting(Mount::source).doesNotContain("mpcw-state"));
  }

  @Test
  void rerunsKeepKeysAndCertificatesAndRestoreALostVolume() throws Exception {
    Map<String, Path> volumes = volumes();
    String first = run(Map.of());
    assertThat(first).contains("API keys created on this first run");
    Path shareKey = volumes.get("keys-node-2").resolve("share.key");
    Path cert = volumes.get("pki-node-3").resolve("node-3.crt");
    String key = Files.readString(shareKey);
    String certificate = Files.readString(cert);
    String keys = Files.readString(volumes.get("secrets-orchestrator").resolve("api-keys.env"));
    Files.delete(cert);
    Files.delete(volumes.get("pki-node-3").resolve("node-3.key"));

    String second = run(Map.of());
    assertThat(second).doesNotContain("API keys created").doesNotContain("created the share key");
    assertThat(Files.readString(shareKey)).isEqualTo(key);
    assertThat(Files.readString(cert)).isEqualTo(certificate);
    assertThat(Files.readString(volumes.get("secrets-orchestrator").resolve("api-keys.env")))
        .isEqualTo(keys);

    String printed = run(Map.of(), "keys");
    String submit =
        printed.lines().filter(l -> l.startsWith("MPCW_SUBMIT_KEY=")).findFirst().orElseThrow();
    assertThat(keys)
        .contains("MPCW_API_KEYS_0_SHA256=" + sha256(submit.substring(submit.indexOf('=') + 1)));
    assertThat(submit).startsWith("MPCW_SUBMIT_KEY=mpcw_s_");
  }

  private static X509Certificate certificate(Path file) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
  }

  private static String sha256(String value) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
  }
}
