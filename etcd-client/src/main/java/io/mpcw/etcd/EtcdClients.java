package io.mpcw.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;

/**
 * Builds every jetcd {@link Client} of the services and tools: TLS to {@code https://} endpoints,
 * authenticated by the identity's certificate. etcd runs with {@code --client-cert-auth} and takes
 * the certificate's CN as the user, so no user name or password is ever sent or configured. With
 * several endpoints a call refused by its member for want of a leader, or not sent for want of a
 * connection, goes to another member (see {@link FailoverRule} for what is repeated and what not).
 */
public final class EtcdClients {

  /** etcd's {@code rpctypes.MetadataRequireLeaderKey}. */
  static final String REQUIRE_LEADER = "hasleader";

  /**
   * The cipher suites offered to etcd, most preferred first: ChaCha20-Poly1305 (TLS 1.3, then the
   * TLS 1.2 suites of both key types), then gRPC's HTTP/2 suites (AES-GCM). The JDK's AES-GCM is
   * fast only where C2 compiles it to the CPU's AES and carry-less multiply instructions; on C1,
   * which runs the nodes, GHASH and AES ran as plain Java at ≈ 8 % of a node's CPU, and a 1 KiB
   * record cost three to four times ChaCha20-Poly1305's, whose additions, rotations and limb
   * multiplications C1 compiles well (docs/benchmarks.md, twenty-seventh round). etcd (Go) takes
   * ChaCha20 when the client names it first; every suite here is TLS 1.3 or forward-secret AEAD.
   */
  public static final List<String> CIPHER_PREFERENCE = cipherPreference();

  private EtcdClients() {}

  /**
   * A client for {@code endpoints} (each {@code https://host:port}) as the identity of {@code tls},
   * moving to another member as {@link EtcdFailover#DEFAULTS} says.
   *
   * @throws IllegalArgumentException if an endpoint is not https: a plain connection would be
   *     refused by etcd anyway, later and less clearly
   */
  public static Client connect(List<String> endpoints, EtcdTlsFiles tls) {
    return connect(endpoints, tls, EtcdFailover.DEFAULTS);
  }

  /**
   * A client for {@code endpoints} as the identity of {@code tls}. With one endpoint it is a plain
   * jetcd client. With several, it holds one connection per member and sends each call to one
   * member, moving to the next when its member has no leader or cannot be reached ({@link
   * MemberFailoverKv}, the rule in {@link FailoverRule}): a process whose member is cut off with a
   * minority keeps working through the majority.
   */
  public static Client connect(List<String> endpoints, EtcdTlsFiles tls, EtcdFailover failover) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no etcd endpoint given");
    }
    List<URI> uris = endpoints.stream().map(EtcdClients::httpsEndpoint).toList();
    tls.requireReadable();
    if (uris.size() == 1) {
      return builder(tls).endpoints(uris.get(0)).build();
    }
    List<Client> members = new ArrayList<>();
    for (URI uri : uris) {
      members.add(
          builder(tls)
              .endpoints(uri)
              // a member that cannot be reached fails the call at once (nothing sent), so it
              // moves on instead of waiting for the connection until the caller gives up
              .waitForReady(false)
              .connectTimeout(failover.connectTimeout())
              // jetcd's own retry would try the same member again; the failover decides
              .retryMaxAttempts(0)
              .build());
    }
    int first = failover.randomFirstMember() ? ThreadLocalRandom.current().nextInt(uris.size()) : 0;
    return new MemberFailoverClient(members, failover, first);
  }

  private static ClientBuilder builder(EtcdTlsFiles tls) {
    try {
      return Client.builder()
          // etcd's require-leader metadata: a member cut off from the leader refuses at once
          // ("no leader") instead of holding the call until it times out, and a refused call
          // was never proposed, so it can be sent to another member
          .header(REQUIRE_LEADER, "true")
          .sslContext(ssl -> tlsFor(ssl, tls));
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

  /**
   * {@code ssl} (gRPC's client defaults) set up for etcd as the identity of {@code tls}: its CA,
   * its certificate and key, ChaCha20-Poly1305 preferred ({@link #CIPHER_PREFERENCE}).
   */
  public static SslContextBuilder tlsFor(SslContextBuilder ssl, EtcdTlsFiles tls) {
    return ssl.trustManager(tls.caCertificate().toFile())
        .keyManager(tls.certificate().toFile(), tls.privateKey().toFile())
        // of the names, those this JVM supports, in this order
        .ciphers(CIPHER_PREFERENCE, SupportedCipherSuiteFilter.INSTANCE);
  }

  private static List<String> cipherPreference() {
    Set<String> suites = new LinkedHashSet<>();
    suites.add("TLS_CHACHA20_POLY1305_SHA256");
    suites.add("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    suites.add("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    suites.addAll(Http2SecurityUtil.CIPHERS);
    return List.copyOf(suites);
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
