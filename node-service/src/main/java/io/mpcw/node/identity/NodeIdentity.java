package io.mpcw.node.identity;

import io.mpcw.transport.pki.IdentityCredentials;
import java.security.cert.X509Certificate;

/**
 * This node's certificate and key (CN = node id) and the cluster CA that issued it. The record's
 * {@code toString} comes from {@link IdentityCredentials}, which leaves the key out.
 */
public record NodeIdentity(IdentityCredentials credentials, X509Certificate clusterCa) {

  public String nodeId() {
    return credentials.name();
  }

  public X509Certificate certificate() {
    return credentials.certificate();
  }
}
