package io.mpcw.protocol;

import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.pki.IdentityCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A cluster CA and node certificates made in a temporary directory for one test class. */
public final class TestPki {
  private final ClusterPki pki;
  private final Map<String, IdentityCredentials> identities = new TreeMap<>();

  private TestPki(ClusterPki pki, List<String> nodes) {
    this.pki = pki;
    for (String node : nodes) {
      identities.put(node, pki.loadIdentity(node));
    }
  }

  /** node-1 … node-{count}. */
  public static TestPki create(int count) {
    List<String> nodes = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      nodes.add("node-" + i);
    }
    try {
      ClusterPki pki = new ClusterPki(Files.createTempDirectory("wp-pki-").resolve("pki"));
      pki.init(nodes);
      return new TestPki(pki, nodes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<String> nodes() {
    return List.copyOf(identities.keySet());
  }

  public IdentityCredentials identity(String node) {
    return identities.get(node);
  }

  public Optional<X509Certificate> certificate(String node) {
    return Optional.ofNullable(identities.get(node)).map(IdentityCredentials::certificate);
  }

  public X509Certificate ca() {
    return pki.caCertificate();
  }
}
