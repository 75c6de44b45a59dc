package io.mpcw.transport.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's certificate directory: {@code ca.crt}, {@code ca.key} and one {@code <name>.crt} /
 * {@code <name>.key} pair per identity. Creating is idempotent and never overwrites a file.
 */
public final class ClusterPki {

  /** Dev defaults: the CA outlives many leaf rotations. */
  public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(3650);

  public static final Duration DEFAULT_LEAF_VALIDITY = Duration.ofDays(365);

  /**
   * The etcd members' certificate, for clients and for each other (one certificate: the members are
   * interchangeable and a peer is admitted by this CN, see docs/security.md).
   */
  public static final String ETCD_SERVER = "etcd";

  /** The operator's etcd client certificate: its CN is etcd's {@code root} user. */
  public static final String ETCD_ROOT = "root";

  /** Host names the etcd certificate answers to besides localhost: the compose services. */
  public static final List<String> ETCD_HOSTS = List.of("etcd-1", "etcd-2", "etcd-3");

  // Tolerates clocks a little behind the one that issued the certificate.
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private final Path dir;
  private final Duration caValidity;
  private final Duration leafValidity;
  private final Clock clock;
  private final CertificateIssuer issuer = new CertificateIssuer();

  public ClusterPki(Path dir, Duration caValidity, Duration leafValidity, Clock clock) {
    this.dir = dir;
    this.caValidity = caValidity;
    this.leafValidity = leafValidity;
    this.clock = clock;
  }

  public ClusterPki(Path dir) {
    this(dir, DEFAULT_CA_VALIDITY, DEFAULT_LEAF_VALIDITY, Clock.systemUTC());
  }

  public Path directory() {
    return dir;
  }

  /**
   * Creates whatever is missing among the CA and the given identities and returns the files it
   * wrote. An identity with only one of its two files present is an error: completing it would pair
   * a key with a certificate that does not match it.
   */
  public List<Path> init(List<String> identities) {
    identities.forEach(IdentityNames::requireValid);
    if (identities.contains(ETCD_SERVER)) {
      // a plain leaf would lack the etcd host names; initEtcd issues it
      throw new IllegalArgumentException("'" + ETCD_SERVER + "' is made by initEtcd");
    }
    List<Path> created = new ArrayList<>();
    createDirectoryIfMissing();
    IdentityCredentials ca;
    if (isMissing(IdentityNames.CA)) {
      Instant now = clock.instant();
      ca = issuer.createCa(now.minus(BACKDATE), now.plus(caValidity));
      created.addAll(write(ca));
    } else {
      ca = loadCa();
    }
    for (String identity : identities) {
      if (isMissing(identity)) {
        Instant now = clock.instant();
        created.addAll(
            write(
                issuer.issue(
                    ca, identity, List.of(), now.minus(BACKDATE), now.plus(leafValidity))));
      }
    }
    return created;
  }

  /**
   * Creates whatever is missing among the CA, the etcd members' certificate ({@link #ETCD_SERVER},
   * with the compose host names) and the operator's etcd client certificate ({@link #ETCD_ROOT}),
   * and returns the files it wrote.
   */
  public List<Path> initEtcd() {
    List<Path> created = new ArrayList<>(init(List.of(ETCD_ROOT)));
    if (isMissing(ETCD_SERVER)) {
      Instant now = clock.instant();
      created.addAll(
          write(
              issuer.issue(
                  loadCa(), ETCD_SERVER, ETCD_HOSTS, now.minus(BACKDATE), now.plus(leafValidity))));
    }
    return created;
  }

  /** Both {@link #init} and {@link #initEtcd}: everything a cluster with etcd needs. */
  public List<Path> initAll(List<String> identities) {
    List<Path> created = new ArrayList<>(init(identities));
    created.addAll(initEtcd());
    return created;
  }

  public IdentityCredentials loadCa() {
    return load(IdentityNames.CA);
  }

  /** The CA certificate alone, which is all a peer needs to verify others. */
  public X509Certificate caCertificate() {
    return PemFiles.readCertificate(certFile(IdentityNames.CA));
  }

  public IdentityCredentials loadIdentity(String identity) {
    return load(IdentityNames.requireValid(identity));
  }

  public Path certFile(String name) {
    return dir.resolve(name + ".crt");
  }

  public Path keyFile(String name) {
    return dir.resolve(name + ".key");
  }

  private IdentityCredentials load(String name) {
    return new IdentityCredentials(
        name, PemFiles.readCertificate(certFile(name)), PemFiles.readPrivateKey(keyFile(name)));
  }

  private boolean isMissing(String name) {
    boolean cert = Files.exists(certFile(name));
    boolean key = Files.exists(keyFile(name));
    if (cert != key) {
      throw new PkiException(
          "only one of "
              + certFile(name)
              + " and "
              + keyFile(name)
              + " exists; remove it or restore the other");
    }
    return !cert;
  }

  private List<Path> write(IdentityCredentials credentials) {
    Path key = keyFile(credentials.name());
    Path cert = certFile(credentials.name());
    PemFiles.writePrivateKey(key, credentials.privateKey());
    PemFiles.writeCertificate(cert, credentials.certificate());
    return List.of(cert, key);
  }

  private void createDirectoryIfMissing() {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new PkiException("cannot create " + dir, e);
    }
  }
}
