package io.mpcw.transport.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate and its private key. {@link #toString()} deliberately leaves the key out so the
 * record can be logged.
 */
public record IdentityCredentials(String name, X509Certificate certificate, PrivateKey privateKey) {

  public IdentityCredentials {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  @Override
  public String toString() {
    return "IdentityCredentials[name="
        + name
        + ", subject="
        + certificate.getSubjectX500Principal()
        + "]";
  }
}
