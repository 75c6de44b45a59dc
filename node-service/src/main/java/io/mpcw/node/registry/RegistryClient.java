package io.mpcw.node.registry;

import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.SignedRequests;
import io.mpcw.types.cluster.ClusterApi;
import io.mpcw.types.cluster.Heartbeat;
import io.mpcw.types.cluster.NodeList;
import io.mpcw.types.cluster.NodeRegistration;
import io.mpcw.types.cluster.NodeView;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * Calls the registry's {@code /api/v1/cluster/nodes} API. Failures come back as two kinds: {@link
 * RegistryUnavailableException} (retry later) and {@link RegistryRejectedException} (fix the
 * configuration).
 */
public class RegistryClient {
  private final RestClient http;

  /**
   * @param signer signs every call with the node's certificate (mpcw-sig-v1): the registry serves
   *     only cluster identities, and accepts a registration, heartbeat or deregistration only from
   *     the holder of that node's certificate
   */
  public RegistryClient(
      RestClient.Builder builder, URI registryUrl, Duration timeout, IdentityCredentials signer) {
    HttpClient jdk =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
    JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(jdk);
    requests.setReadTimeout(timeout);
    this.http =
        builder
            .clone()
            .baseUrl(registryUrl.toString())
            .requestFactory(requests)
            .requestInterceptor(
                (request, body, execution) -> {
                  SignedRequests.headers(
                          signer, request.getMethod().name(), request.getURI(), body, Instant.now())
                      .forEach(request.getHeaders()::set);
                  return execution.execute(request, body);
                })
            .build();
  }

  /** What the registry said to a heartbeat. */
  public enum HeartbeatResult {
    ACCEPTED,
    /** The registry does not know this node (restarted, or declared it gone): register again. */
    UNKNOWN_NODE
  }

  public void register(NodeRegistration registration) {
    call(
        () ->
            http.post()
                .uri(ClusterApi.NODES)
                .contentType(MediaType.APPLICATION_JSON)
                .body(registration)
                .retrieve()
                .toBodilessEntity());
  }

  public HeartbeatResult heartbeat(String nodeId, Heartbeat beat) {
    try {
      call(
          () ->
              http.put()
                  .uri(ClusterApi.HEARTBEAT, nodeId)
                  .contentType(MediaType.APPLICATION_JSON)
                  .body(beat)
                  .retrieve()
                  .toBodilessEntity());
      return HeartbeatResult.ACCEPTED;
    } catch (RegistryRejectedException e) {
      if (e.status() == HttpStatus.NOT_FOUND.value()) {
        return HeartbeatResult.UNKNOWN_NODE;
      }
      throw e;
    }
  }

  /** Every node the registry knows, with the certificate it registered with. */
  public List<NodeView> nodes() {
    NodeList list = call(() -> http.get().uri(ClusterApi.NODES).retrieve().body(NodeList.class));
    return list == null || list.nodes() == null ? List.of() : List.copyOf(list.nodes());
  }

  public void deregister(String nodeId) {
    call(() -> http.delete().uri(ClusterApi.NODE, nodeId).retrieve().toBodilessEntity());
  }

  private static <T> T call(Supplier<T> request) {
    try {
      return request.get();
    } catch (ResourceAccessException e) {
      throw new RegistryUnavailableException("registry unreachable", e);
    } catch (RestClientResponseException e) {
      if (e.getStatusCode().is5xxServerError()) {
        throw new RegistryUnavailableException(
            "registry failed with HTTP " + e.getStatusCode().value(), e);
      }
      throw new RegistryRejectedException(e.getStatusCode().value(), e);
    }
  }
}
