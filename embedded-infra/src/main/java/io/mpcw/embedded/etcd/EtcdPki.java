package io.mpcw.embedded.etcd;

import io.mpcw.etcd.EtcdTlsFiles;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.pki.IdentityCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates an etcd cluster runs with, from a cluster PKI directory: the members' own
 * ({@link ClusterPki#ETCD_SERVER}), the operator's ({@link ClusterPki#ETCD_ROOT}) and one per
 * identity a client connects as, issued on first use when this side holds the CA key (tests and
 * {@code ./mpcw}).
 */
public final class EtcdPki {
  private final ClusterPki pki;

  private EtcdPki(ClusterPki pki) {
    this.pki = pki;
  }

  /** Uses {@code dir}, creating the CA and etcd's certificates there if missing. */
  public static EtcdPki in(Path dir) {
    ClusterPki pki = new ClusterPki(dir);
    pki.initEtcd();
    return new EtcdPki(pki);
  }

  /** A fresh CA in a temp directory, for a throw-away cluster. */
  public static EtcdPki temporary() {
    try {
      return in(Files.createTempDirectory("mpcw-etcd-pki-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path directory() {
    return pki.directory();
  }

  /** The files {@code identity} connects with, issuing its certificate if missing. */
  public synchronized EtcdTlsFiles tls(String identity) {
    if (!Files.exists(pki.certFile(identity))) {
      pki.init(List.of(identity));
    }
    return EtcdTlsFiles.inPkiDirectory(pki.directory(), identity);
  }

  EtcdTlsFiles server() {
    return EtcdTlsFiles.inPkiDirectory(pki.directory(), ClusterPki.ETCD_SERVER);
  }

  /** TLS as the operator, for the members' HTTP endpoints (health). */
  SSLContext rootSslContext() {
    try {
      IdentityCredentials root = pki.loadIdentity(ClusterPki.ETCD_ROOT);
      // an in-memory key store only: the password guards nothing and is never written anywhere
      char[] transientPassword = new char[0];
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "root", root.privateKey(), transientPassword, new Certificate[] {root.certificate()});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, transientPassword);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", pki.caCertificate());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build TLS for the etcd health checks", e);
    }
  }
}
