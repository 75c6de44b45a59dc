package io.mpcw.orchestrator.dkg;

import io.micrometer.core.instrument.Timer;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.registry.RegistryUnavailableException;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.dkg.DkgPart1Request;
import io.mpcw.protocol.dkg.DkgPart1Response;
import io.mpcw.protocol.dkg.DkgPart2Request;
import io.mpcw.protocol.dkg.DkgPart2Response;
import io.mpcw.protocol.dkg.DkgPart3Request;
import io.mpcw.protocol.dkg.DkgPart3Response;
import io.mpcw.protocol.dkg.DkgTranscript;
import io.mpcw.protocol.dkg.SignedEcho;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.frame.proto.Envelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs FROST's three-round DKG among the participant nodes over QUIC. The orchestrator is only the
 * relay (and the broadcast channel the nodes check with signed echoes): round-2 shares travel
 * sealed to their recipients' certificates, so it never can read one. It accepts a key only when
 * every participant reports the same public key package, group key and output key ({@link
 * DkgKeyAgreement}); a round that fails is judged by {@link DkgFailures}.
 */
@Component
public class DkgCoordinator {
  private static final Logger log = LoggerFactory.getLogger(DkgCoordinator.class);
  private final NodeDirectory directory;
  private final TransportClient transport;
  private final DkgProperties properties;
  private final DkgMetrics metrics;
  private final Clock clock;

  DkgCoordinator(
      NodeDirectory directory,
      TransportClient transport,
      DkgProperties properties,
      DkgMetrics metrics) {
    this.directory = directory;
    this.transport = transport;
    this.properties = properties;
    this.metrics = metrics;
    this.clock = Clock.systemUTC();
  }

  /**
   * Generates the key of wallet {@code walletId}; participant i (1-based position) gets FROST
   * identifier i.
   *
   * @throws DkgException when no key came out of it, naming the culprit when one is known
   */
  public DkgResult run(UUID walletId, List<String> participants, int threshold) {
    Timer.Sample sample = metrics.start();
    try {
      DkgResult result = new Session(walletId, participants, threshold).run();
      metrics.finished(sample, "ready");
      return result;
    } catch (DkgException e) {
      metrics.finished(
          sample, e.kind() == DkgException.Kind.UNREACHABLE ? "unavailable" : "failed");
      log.warn("DKG of wallet {} failed: {}", walletId, e.getMessage());
      throw e;
    }
  }

  /** One DKG attempt; all state is local to it. */
  private final class Session {
    private final UUID walletId;
    private final List<String> participants;
    private final int threshold;
    private final Instant deadline;
    private boolean sharesMayExist;

    Session(UUID walletId, List<String> participants, int threshold) {
      this.walletId = walletId;
      this.participants = List.copyOf(participants);
      this.threshold = threshold;
      this.deadline = clock.instant().plus(properties.deadline());
    }

    DkgResult run() {
      Map<String, Endpoint> endpoints = endpoints();
      DkgPart1Request part1 = new DkgPart1Request(walletId, participants, threshold);
      Map<String, DkgPart1Response> round1 =
          round("part1", endpoints, DkgPart1Request.TYPE, n -> part1, DkgPart1Response.class);
      Map<String, String> packages = new LinkedHashMap<>();
      for (String node : participants) {
        DkgPart1Response reply = round1.get(node);
        expect(reply.walletId().equals(walletId), node, "answered part1 for another wallet");
        expect(reply.nodeId().equals(node), node, "answered part1 as " + reply.nodeId());
        expect(
            reply.identifier() == part1.identifierOf(node),
            node,
            "claims identifier " + reply.identifier());
        expect(isHex(reply.round1Package()), node, "sent a round-1 package that is not hex");
        packages.put(node, reply.round1Package());
      }

      DkgPart2Request part2 = new DkgPart2Request(walletId, packages);
      Map<String, DkgPart2Response> round2 =
          round("part2", endpoints, DkgPart2Request.TYPE, n -> part2, DkgPart2Response.class);
      String expectedEcho = Hex.encode(transcriptHash(packages));
      Map<String, SignedEcho> echoes = new LinkedHashMap<>();
      for (String node : participants) {
        DkgPart2Response reply = round2.get(node);
        expect(reply.walletId().equals(walletId), node, "answered part2 for another wallet");
        expect(reply.nodeId().equals(node), node, "answered part2 as " + reply.nodeId());
        Set<String> recipients = new HashSet<>(participants);
        recipients.remove(node);
        expect(
            reply.sealedShares().keySet().equals(recipients),
            node,
            "did not seal exactly one share for every other participant");
        // Every node was sent the same set, so an echo of anything else is that node's fault;
        // caught here it gets a culprit, and no node stores a share.
        expect(
            reply.echo().equalsIgnoreCase(expectedEcho),
            node,
            "echoed a round-1 set other than the one relayed");
        echoes.put(node, new SignedEcho(reply.echo(), reply.echoSignature()));
      }

      Map<String, DkgPart3Request> part3 = new LinkedHashMap<>();
      for (String receiver : participants) {
        Map<String, String> sealed = new LinkedHashMap<>();
        for (String sender : participants) {
          if (!sender.equals(receiver)) {
            sealed.put(sender, round2.get(sender).sealedShares().get(receiver));
          }
        }
        part3.put(receiver, new DkgPart3Request(walletId, echoes, sealed));
      }
      sharesMayExist = true;
      Map<String, DkgPart3Response> round3 =
          round("part3", endpoints, DkgPart3Request.TYPE, part3::get, DkgPart3Response.class);
      return DkgKeyAgreement.agreed(walletId, participants, threshold, round3);
    }

    private Map<String, Endpoint> endpoints() {
      Map<String, NodeDirectory.KnownNode> known;
      try {
        known = directory.nodes();
      } catch (RegistryUnavailableException e) {
        throw fail(DkgException.Kind.UNREACHABLE, e.getMessage(), Optional.empty());
      }
      Map<String, Endpoint> endpoints = new LinkedHashMap<>();
      for (String node : participants) {
        Optional<Endpoint> endpoint =
            Optional.ofNullable(known.get(node)).flatMap(NodeDirectory.KnownNode::endpoint);
        if (endpoint.isEmpty()) {
          throw fail(
              DkgException.Kind.UNREACHABLE, node + " has no known QUIC address", Optional.empty());
        }
        endpoints.put(node, endpoint.get());
      }
      return endpoints;
    }

    /** Sends one step to every participant at once and waits for all replies. */
    private <T> Map<String, T> round(
        String step,
        Map<String, Endpoint> endpoints,
        String type,
        Function<String, Object> request,
        Class<T> replyType) {
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        throw fail(
            DkgException.Kind.UNREACHABLE,
            "the DKG deadline of " + properties.deadline() + " passed before " + step,
            Optional.empty());
      }
      Duration perRequest =
          left.compareTo(properties.requestDeadline()) < 0 ? left : properties.requestDeadline();
      Map<String, CompletableFuture<Envelope>> calls = new LinkedHashMap<>();
      for (String node : participants) {
        calls.put(
            node,
            transport.request(
                endpoints.get(node),
                type,
                ProtocolMessages.encode(request.apply(node)),
                perRequest));
      }
      CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new))
          .exceptionally(failure -> null)
          .join();
      Map<String, T> replies = new LinkedHashMap<>();
      Map<String, Throwable> failures = new LinkedHashMap<>();
      calls.forEach(
          (node, call) -> {
            try {
              replies.put(
                  node, ProtocolMessages.decode(call.join().getPayload().toByteArray(), replyType));
            } catch (CompletionException e) {
              failures.put(node, e.getCause());
            } catch (IllegalArgumentException e) {
              failures.put(node, e);
            }
          });
      if (!failures.isEmpty()) {
        throw DkgFailures.classify(step, failures, sharesMayExist);
      }
      return replies;
    }

    private byte[] transcriptHash(Map<String, String> packages) {
      Map<String, byte[]> bytes = new LinkedHashMap<>();
      packages.forEach((node, hex) -> bytes.put(node, Hex.decode(hex)));
      return DkgTranscript.round1Hash(walletId, participants, bytes);
    }

    private void expect(boolean condition, String node, String what) {
      if (!condition) {
        throw fail(DkgException.Kind.FAILED, node + " " + what, Optional.of(node));
      }
    }

    private DkgException fail(DkgException.Kind kind, String reason, Optional<String> culprit) {
      return new DkgException(kind, reason, culprit, sharesMayExist);
    }
  }

  private static boolean isHex(String value) {
    try {
      Hex.decode(value);
      return !value.isEmpty();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
