package io.mpcw.etcd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The PEM files one identity connects to etcd with: its certificate (whose CN etcd takes as the
 * user name), its private key, and the cluster CA that signed etcd's certificate.
 */
public record EtcdTlsFiles(Path certificate, Path privateKey, Path caCertificate) {

  public EtcdTlsFiles {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(caCertificate, "caCertificate");
  }

  /** The files of {@code identity} in a cluster PKI directory ({@code <identity>.crt|key}). */
  public static EtcdTlsFiles inPkiDirectory(Path dir, String identity) {
    return new EtcdTlsFiles(
        dir.resolve(identity + ".crt"), dir.resolve(identity + ".key"), dir.resolve("ca.crt"));
  }

  /**
   * The files configured, each one left unset ({@code null}) taken from {@code identity}'s in the
   * cluster PKI directory: what a service's {@code mpcw.etcd.tls.*} properties resolve to.
   */
  public static EtcdTlsFiles orDefaults(
      Path certificate, Path privateKey, Path caCertificate, Path pkiDir, String identity) {
    EtcdTlsFiles defaults = inPkiDirectory(pkiDir, identity);
    return new EtcdTlsFiles(
        certificate != null ? certificate : defaults.certificate(),
        privateKey != null ? privateKey : defaults.privateKey(),
        caCertificate != null ? caCertificate : defaults.caCertificate());
  }

  /** Fails naming the first missing or unreadable file (the name only, never the content). */
  EtcdTlsFiles requireReadable() {
    for (Path file : new Path[] {certificate, privateKey, caCertificate}) {
      if (!Files.isReadable(file)) {
        throw new IllegalStateException("etcd TLS file missing or unreadable: " + file);
      }
    }
    return this;
  }
}
