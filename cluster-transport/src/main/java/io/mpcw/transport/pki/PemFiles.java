package io.mpcw.transport.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/** Reads and writes certificates and PKCS#8 private keys as PEM. */
public final class PemFiles {

  private static final String CERT_LABEL = "CERTIFICATE";
  private static final String KEY_LABEL = "PRIVATE KEY";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private PemFiles() {}

  /** Writes {@code cert}; fails if {@code file} exists. */
  public static void writeCertificate(Path file, X509Certificate cert) {
    try {
      writeNew(file, pem(CERT_LABEL, cert.getEncoded()), false);
    } catch (CertificateEncodingException e) {
      throw new PkiException("cannot encode certificate for " + file, e);
    }
  }

  /**
   * Writes {@code key} as PKCS#8, mode 0600 from the moment the file exists (it is created with
   * those permissions, never chmod-ed afterwards); fails if {@code file} exists.
   */
  public static void writePrivateKey(Path file, PrivateKey key) {
    writeNew(file, pem(KEY_LABEL, key.getEncoded()), true);
  }

  public static X509Certificate readCertificate(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new PkiException("cannot read certificate " + file, e);
    }
  }

  /** Reads a PKCS#8 EC private key. */
  public static PrivateKey readPrivateKey(Path file) {
    try {
      byte[] der = decode(Files.readString(file, StandardCharsets.US_ASCII), KEY_LABEL, file);
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IOException | GeneralSecurityException e) {
      // the cause is left out on purpose: a parser message could quote part of the key
      throw new PkiException(
          "cannot read private key " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Parses a PEM certificate given as text (for certificates distributed through config). */
  public static X509Certificate parseCertificate(String pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new PkiException("cannot parse PEM certificate", e);
    }
  }

  /** PEM text of {@code cert}. */
  public static String toPem(X509Certificate cert) {
    try {
      return pem(CERT_LABEL, cert.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new PkiException("cannot encode certificate", e);
    }
  }

  private static String pem(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static byte[] decode(String text, String label, Path file) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new PkiException("no " + label + " block in " + file);
    }
    return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
  }

  private static void writeNew(Path file, String content, boolean secret) {
    try {
      if (secret) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(file);
      }
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
        out.write(content.getBytes(StandardCharsets.US_ASCII));
      }
    } catch (IOException e) {
      throw new PkiException("cannot write " + file, e);
    }
  }
}
