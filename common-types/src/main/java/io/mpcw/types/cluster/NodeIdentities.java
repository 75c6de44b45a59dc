package io.mpcw.types.cluster;

import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which certificate names are cluster nodes. Every service holds a certificate of the cluster CA
 * whose CN is its name, and a node id is such a name too; so "the CA issued it and CN == node id"
 * does not tell a node from the orchestrator or the registry. Votes, DKG participants and signers
 * must be nodes: ids that match the node pattern and are not a service's name.
 *
 * @param pattern what a node id looks like (default {@value #DEFAULT_PATTERN})
 * @param services names that are never nodes, whatever the pattern says
 */
public record NodeIdentities(Pattern pattern, Set<String> services) {
  public static final String DEFAULT_PATTERN = "node-[0-9]+";

  /**
   * The names that are never nodes in any cluster: the orchestrator, the registry, the CA's own
   * name and etcd's operator ({@code root}). The etcd access policy refuses node roles for the same
   * set.
   */
  public static final Set<String> SERVICE_NAMES = Set.of("orchestrator", "registry", "ca", "root");

  public NodeIdentities {
    services = Set.copyOf(services);
  }

  /** The default pattern and service names. */
  public static NodeIdentities defaults() {
    return of(DEFAULT_PATTERN, Set.of());
  }

  /**
   * @param moreServices service names configured here (e.g. this cluster's orchestrator CN), on top
   *     of {@link #SERVICE_NAMES}
   */
  public static NodeIdentities of(String pattern, Collection<String> moreServices) {
    Set<String> services = new HashSet<>(SERVICE_NAMES);
    services.addAll(moreServices);
    return new NodeIdentities(Pattern.compile(pattern), services);
  }

  public boolean isNode(String id) {
    return refusal(id).isEmpty();
  }

  /** Why {@code id} is not a node id, in words; empty when it is one. */
  public Optional<String> refusal(String id) {
    if (id == null) {
      return Optional.of("is required");
    }
    if (services.contains(id)) {
      return Optional.of("'" + id + "' is a service identity, not a node");
    }
    if (!pattern.matcher(id).matches()) {
      return Optional.of("a node id must match " + pattern.pattern());
    }
    return Optional.empty();
  }
}
