package io.mpcw.launcher.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * What a simulation or a drill changes in the cluster {@code ./mpcw up} would start: extra
 * environment per process (a node's fault mode, shorter timeouts) and whether Prometheus runs.
 *
 * @param env per process name (e.g. {@code node-3}, {@code orchestrator}): variables added to, or
 *     replacing, the ones {@link ServiceSpec} sets
 * @param prometheus start Debian's Prometheus when it is installed
 * @param banner print the URLs, keys and hints once the cluster is up
 */
public record ClusterOverrides(
    Map<String, Map<String, String>> env, boolean prometheus, boolean banner) {
  public ClusterOverrides {
    env = Map.copyOf(env);
  }

  static ClusterOverrides none() {
    return new ClusterOverrides(Map.of(), true, true);
  }

  /** {@code spec} with this cluster's extra variables for it. */
  ServiceSpec apply(ServiceSpec spec) {
    Map<String, String> extra = env.get(spec.name());
    if (extra == null || extra.isEmpty()) {
      return spec;
    }
    Map<String, String> merged = new HashMap<>(spec.env());
    merged.putAll(extra);
    return new ServiceSpec(spec.name(), spec.module(), Map.copyOf(merged), spec.healthUrl());
  }
}
