package io.mpcw.etcd;

import io.etcd.jetcd.Client;
import java.net.URI;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds every jetcd {@link Client} of the services and tools: TLS to {@code https://} endpoints,
 * authenticated by the identity's certificate. etcd runs with {@code --client-cert-auth} and takes
 * the certificate's CN as the user, so no user name or password is ever sent or configured.
 */
public final class EtcdClients {

  /** etcd's {@code rpctypes.MetadataRequireLeaderKey}. */
  static final String REQUIRE_LEADER = "hasleader";

  private EtcdClients() {}

  /**
   * A client for {@code endpoints} (each {@code https://host:port}) as the identity of {@code tls}.
   *
   * @throws IllegalArgumentException if an endpoint is not https: a plain connection would be
   *     refused by etcd anyway, later and less clearly
   */
  public static Client connect(List<String> endpoints, EtcdTlsFiles tls) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no etcd endpoint given");
    }
    URI[] uris = endpoints.stream().map(EtcdClients::httpsEndpoint).toArray(URI[]::new);
    tls.requireReadable();
    try {
      return Client.builder()
          .endpoints(uris)
          // etcd's require-leader metadata: a member cut off from the leader refuses at once
          // ("no leader") instead of holding the call until it times out, so the caller's retry
          // reaches a member of the majority while a minority is partitioned away
          .header(REQUIRE_LEADER, "true")
          .sslContext(
              ssl ->
                  ssl.trustManager(tls.caCertificate().toFile())
                      .keyManager(tls.certificate().toFile(), tls.privateKey().toFile()))
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      // the cause is left out on purpose: a parser message could quote part of the key
      throw new IllegalStateException(
          "cannot load the etcd TLS files "
              + tls.certificate()
              + " / "
              + tls.privateKey()
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  /** Comma-separated endpoints, as {@code MPCW_ETCD_ENDPOINTS} and the properties hold them. */
  public static Client connect(String endpoints, EtcdTlsFiles tls) {
    return connect(List.of(endpoints.split(",")), tls);
  }

  private static URI httpsEndpoint(String endpoint) {
    URI uri = URI.create(endpoint.trim());
    if (!"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "etcd endpoint must be https:// (etcd requires client certificates): " + endpoint);
    }
    return uri;
  }
}
