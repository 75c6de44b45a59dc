package io.mpcw.orchestrator.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.orchestrator.cluster.ClusterTrust;
import io.mpcw.orchestrator.config.RegistryProperties;
import io.mpcw.transport.pki.SignedRequests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.ClientHttpRequestFactorySettings;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Reads the node list from the registry. The last good answer is kept, so a registry outage does
 * not stop the pipeline: callers get the last known membership and can tell it is stale.
 */
@Component
public class RegistryClient {
  private final RestClient http;
  private final ObjectMapper json;
  private final AtomicReference<Optional<JsonNode>> lastKnown =
      new AtomicReference<>(Optional.empty());

  /**
   * @param trust every call is signed with the orchestrator's cluster certificate (mpcw-sig-v1):
   *     the registry answers only cluster identities
   */
  public RegistryClient(RegistryProperties properties, ObjectMapper json, ClusterTrust trust) {
    var settings =
        ClientHttpRequestFactorySettings.defaults()
            .withConnectTimeout(properties.timeout())
            .withReadTimeout(properties.timeout());
    RestClient.Builder builder =
        RestClient.builder()
            .baseUrl(properties.url().toString())
            .requestFactory(ClientHttpRequestFactoryBuilder.jdk().build(settings));
    builder.requestInterceptor(
        (request, body, execution) -> {
          SignedRequests.headers(
                  trust.identity(),
                  request.getMethod().name(),
                  request.getURI(),
                  body,
                  Instant.now())
              .forEach(request.getHeaders()::set);
          return execution.execute(request, body);
        });
    this.http = builder.build();
    this.json = json;
  }

  /** The registry's node list document, fresh, or the last known one when it cannot be reached. */
  public NodeList nodes() {
    try {
      JsonNode body = http.get().uri("/api/v1/cluster/nodes").retrieve().body(JsonNode.class);
      if (body == null || !body.path("nodes").isArray()) {
        throw new RegistryUnavailableException("the registry answered without a node list");
      }
      lastKnown.set(Optional.of(body));
      return new NodeList(body, false);
    } catch (RestClientException e) {
      return lastKnown
          .get()
          .map(body -> new NodeList(body, true))
          .orElseThrow(
              () -> new RegistryUnavailableException("the registry cannot be reached: " + e));
    }
  }

  public List<ClusterNode> activeNodes() {
    return allNodes().stream().filter(ClusterNode::isActive).toList();
  }

  /** Every node the registry knows, whatever its liveness. */
  public List<ClusterNode> allNodes() {
    List<ClusterNode> all = new ArrayList<>();
    for (JsonNode node : nodes().document().path("nodes")) {
      all.add(json.convertValue(node, ClusterNode.class));
    }
    return all;
  }

  /**
   * @param document the registry's JSON ({@code {"nodes": [...]}})
   * @param stale true when the registry could not be reached and this is the last known list
   */
  public record NodeList(JsonNode document, boolean stale) {}
}
