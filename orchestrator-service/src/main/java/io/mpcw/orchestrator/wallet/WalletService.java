package io.mpcw.orchestrator.wallet;

import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.orchestrator.config.ClusterProperties;
import io.mpcw.orchestrator.dkg.DkgCoordinator;
import io.mpcw.orchestrator.dkg.DkgException;
import io.mpcw.orchestrator.dkg.DkgProperties;
import io.mpcw.orchestrator.dkg.DkgResult;
import io.mpcw.orchestrator.registry.ClusterNode;
import io.mpcw.orchestrator.registry.RegistryClient;
import io.mpcw.orchestrator.registry.RegistryUnavailableException;
import io.mpcw.orchestrator.web.ApiException;
import io.mpcw.types.problem.FieldError;
import io.mpcw.types.problem.ProblemType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/** Creates wallets: checks the request, records the wallet, runs its DKG, records the outcome. */
@Service
public class WalletService {
  static final int DEFAULT_THRESHOLD = 3;
  static final int MAX_PARTICIPANTS = 64;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Lease on a running DKG beyond its own deadline, before a sweep may call it abandoned. */
  static final Duration LEASE_MARGIN = Duration.ofSeconds(10);

  private final Wallets wallets;
  private final RegistryClient registry;
  private final DkgCoordinator coordinator;
  private final DkgProperties dkg;
  private final Network network;

  WalletService(
      Wallets wallets,
      RegistryClient registry,
      DkgCoordinator coordinator,
      DkgProperties dkg,
      ClusterProperties cluster) {
    this.wallets = wallets;
    this.registry = registry;
    this.coordinator = coordinator;
    this.dkg = dkg;
    this.network = Network.parse(cluster.network());
  }

  public Wallet create(CreateWalletRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request.name() == null) {
      errors.add(new FieldError("name", "is required"));
    } else if (!NAME.matcher(request.name()).matches()) {
      errors.add(new FieldError("name", "must be 1 to 64 characters of A-Z a-z 0-9 . _ -"));
    }
    if (request.threshold() != null && request.threshold() < 2) {
      errors.add(new FieldError("threshold", "must be at least 2"));
    }
    if (request.participants() != null) {
      checkListShape(request.participants(), errors);
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }

    Map<String, ClusterNode> nodes = registeredNodes();
    int threshold = Optional.ofNullable(request.threshold()).orElse(DEFAULT_THRESHOLD);
    List<String> participants;
    if (request.participants() == null) {
      participants =
          nodes.values().stream()
              .filter(ClusterNode::isActive)
              .map(ClusterNode::nodeId)
              .sorted()
              .toList();
      if (participants.size() < threshold) {
        throw new ApiException(
            ProblemType.UNAVAILABLE,
            participants.size()
                + " nodes are active; a wallet with threshold "
                + threshold
                + " needs at least "
                + threshold
                + ".");
      }
    } else {
      participants = List.copyOf(request.participants());
      for (int i = 0; i < participants.size(); i++) {
        ClusterNode node = nodes.get(participants.get(i));
        if (node == null) {
          errors.add(new FieldError("participants[" + i + "]", "is not a registered node"));
        } else if (!node.isActive()) {
          errors.add(
              new FieldError(
                  "participants[" + i + "]",
                  "is not active (registry status " + node.status() + ")"));
        }
      }
      if (threshold > participants.size()) {
        errors.add(
            new FieldError(
                "threshold",
                "must be between 2 and the number of participants (" + participants.size() + ")"));
      }
      if (!errors.isEmpty()) {
        throw ApiException.invalid(errors);
      }
    }

    UUID id = UUID.randomUUID();
    if (!wallets.insertPending(
        id,
        request.name(),
        threshold,
        participants,
        network.id(),
        dkg.deadline().plus(LEASE_MARGIN))) {
      throw new ApiException(
          ProblemType.CONFLICT, "A wallet named '" + request.name() + "' exists already.");
    }
    try {
      DkgResult result = coordinator.run(id, participants, threshold);
      wallets.markReady(id, result, address(result));
    } catch (DkgException e) {
      wallets.markFailed(id, reasonOf(e), Optional.empty());
      throw problemOf(id, e);
    }
    return wallets.find(id).orElseThrow();
  }

  String address(DkgResult result) {
    return SegwitAddress.forTaprootOutputKey(network, result.outputKey()).toString();
  }

  /** The reason recorded on the wallet: what happened, and whom the nodes blame. */
  static String reasonOf(DkgException e) {
    return e.getMessage() + e.culprit().map(c -> " (culprit " + c + ")").orElse("");
  }

  private static ApiException problemOf(UUID id, DkgException e) {
    ApiException problem =
        e.kind() == DkgException.Kind.UNREACHABLE
            ? new ApiException(
                ProblemType.UNAVAILABLE,
                "Key generation could not reach every participant: " + e.getMessage() + ".")
            : new ApiException(
                ProblemType.DKG_FAILED, "Key generation failed: " + reasonOf(e) + ".");
    problem.problem().setProperty("wallet_id", id);
    e.culprit().ifPresent(c -> problem.problem().setProperty("culprit", c));
    return problem;
  }

  private static void checkListShape(List<String> participants, List<FieldError> errors) {
    if (participants.size() < 2 || participants.size() > MAX_PARTICIPANTS) {
      errors.add(
          new FieldError("participants", "must name between 2 and " + MAX_PARTICIPANTS + " nodes"));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < participants.size(); i++) {
      String node = participants.get(i);
      if (node == null || node.isBlank()) {
        errors.add(new FieldError("participants[" + i + "]", "must be a node id"));
      } else if (!seen.add(node)) {
        errors.add(new FieldError("participants[" + i + "]", "repeats " + node));
      }
    }
  }

  private Map<String, ClusterNode> registeredNodes() {
    try {
      return registry.allNodes().stream()
          .collect(Collectors.toMap(ClusterNode::nodeId, Function.identity(), (a, b) -> b));
    } catch (RegistryUnavailableException e) {
      throw new ApiException(ProblemType.UNAVAILABLE, "The registry cannot be reached.");
    }
  }
}
