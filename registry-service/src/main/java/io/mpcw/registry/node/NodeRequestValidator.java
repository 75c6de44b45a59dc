package io.mpcw.registry.node;

import io.mpcw.types.cluster.Heartbeat;
import io.mpcw.types.cluster.NodeIdentities;
import io.mpcw.types.cluster.NodeRegistration;
import io.mpcw.types.problem.FieldError;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks registry requests field by field. The wire records live in common-types, which carries no
 * Bean Validation annotations, so the rules are spelled out here once.
 */
final class NodeRequestValidator {
  static final Pattern NODE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern HOST_PORT =
      Pattern.compile(
          "(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?):(\\d{1,5})");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
  private static final int MAX_URL_LENGTH = 2048;

  private NodeRequestValidator() {}

  static List<FieldError> nodeId(String nodeId) {
    List<FieldError> errors = new ArrayList<>();
    checkNodeId(nodeId, errors);
    return errors;
  }

  /**
   * @param nodes the ids that are nodes: a service's certificate is of the same CA, and registered
   *     it would be offered to every node as a voter and DKG participant
   */
  static List<FieldError> registration(NodeRegistration registration, NodeIdentities nodes) {
    List<FieldError> errors = new ArrayList<>();
    checkNodeId(registration.nodeId(), errors);
    if (errors.isEmpty()) {
      nodes
          .refusal(registration.nodeId())
          .ifPresent(why -> errors.add(new FieldError("node_id", why)));
    }
    checkQuicAddress(registration.quicAddress(), true, errors);
    checkManagementUrl(registration.managementUrl(), errors);
    if (registration.version() == null) {
      errors.add(new FieldError("version", "is required"));
    } else if (!VERSION.matcher(registration.version()).matches()) {
      errors.add(new FieldError("version", "must be 1-64 letters, digits, '.', '_', '+' or '-'"));
    }
    return errors;
  }

  static List<FieldError> heartbeat(Heartbeat beat) {
    List<FieldError> errors = new ArrayList<>();
    if (beat.cpuLoad() == null) {
      errors.add(new FieldError("cpu_load", "is required"));
    } else if (!(beat.cpuLoad() >= 0 && beat.cpuLoad() <= 100)) {
      errors.add(new FieldError("cpu_load", "must be between 0 and 100"));
    }
    if (beat.inFlightSessions() == null) {
      errors.add(new FieldError("in_flight_sessions", "is required"));
    } else if (beat.inFlightSessions() < 0) {
      errors.add(new FieldError("in_flight_sessions", "must not be negative"));
    }
    checkQuicAddress(beat.quicAddress(), false, errors);
    return errors;
  }

  private static void checkNodeId(String nodeId, List<FieldError> errors) {
    if (nodeId == null) {
      errors.add(new FieldError("node_id", "is required"));
    } else if (!NODE_ID.matcher(nodeId).matches()) {
      errors.add(new FieldError("node_id", "must match " + NODE_ID.pattern()));
    }
  }

  private static void checkQuicAddress(String address, boolean required, List<FieldError> errors) {
    if (address == null) {
      if (required) {
        errors.add(new FieldError("quic_address", "is required"));
      }
      return;
    }
    Matcher matcher = HOST_PORT.matcher(address);
    if (!matcher.matches()) {
      errors.add(new FieldError("quic_address", "must be host:port"));
      return;
    }
    int port = Integer.parseInt(matcher.group(3));
    if (port < 1 || port > 65535) {
      errors.add(new FieldError("quic_address", "port must be between 1 and 65535"));
    }
  }

  private static void checkManagementUrl(String url, List<FieldError> errors) {
    if (url == null) {
      errors.add(new FieldError("management_url", "is required"));
      return;
    }
    if (url.length() > MAX_URL_LENGTH || !isHttpUrl(url)) {
      errors.add(new FieldError("management_url", "must be an absolute http(s) URL"));
    }
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
