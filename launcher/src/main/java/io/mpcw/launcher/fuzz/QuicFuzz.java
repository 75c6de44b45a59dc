package io.mpcw.launcher.fuzz;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.launcher.cluster.Layout;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.frame.FrameAccumulator;
import io.mpcw.transport.frame.FrameException;
import io.mpcw.transport.frame.Frames;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.fuzz.HostileInputs;
import io.mpcw.transport.fuzz.RawQuicConnection;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.quic.QuicTls;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A bounded QUIC fuzz run against a local cluster's nodes, as the orchestrator (its own
 * certificate): hostile payloads for every routed message type, message types nobody serves, abused
 * frames and streams that never finish, from a fixed seed. Traffic goes to 127.0.0.1 only; the run
 * stops at its request count or its time limit, whichever comes first. Every payload is built so
 * that no node can accept it (its ids are not UUIDs), so a run leaves no vote, DKG or signing state
 * behind; the liveness probe is a read-only peer-list request.
 *
 * <p>For {@code ./mpcw fuzz}: {@code QuicFuzz.forLayout(layout, seed).run(requests)} returns a
 * {@link QuicFuzzReport}; {@link QuicFuzzReport#render()} prints it.
 */
public final class QuicFuzz {

  /** Beyond this a run is a load test, not a fuzz run. */
  public static final int MAX_REQUESTS = 20_000;

  static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(120);
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** Samples that decode as JSON objects of each type, but whose ids are not UUIDs. */
  private static final Map<String, String> SAMPLES =
      Map.of(
          "vote.request.v1",
          "{\"tx_id\":\"fuzz\",\"wallet_id\":\"fuzz\",\"recipient\":\"bcrt1qfuzz\","
              + "\"amount_sats\":1000,\"metadata\":\"fuzz\"}",
          "vote.batch.v1",
          "{\"votes\":[{\"tx_id\":\"fuzz\",\"wallet_id\":\"fuzz\",\"recipient\":\"bcrt1qfuzz\","
              + "\"amount_sats\":1000,\"metadata\":\"fuzz\"}]}",
          "dkg.part1.v1",
          "{\"wallet_id\":\"fuzz\",\"participants\":[\"node-1\",\"node-2\"],\"threshold\":2}",
          "dkg.part2.v1",
          "{\"wallet_id\":\"fuzz\",\"round1_packages\":{}}",
          "dkg.part3.v1",
          "{\"wallet_id\":\"fuzz\",\"round2_packages\":{},\"echoes\":{}}",
          "sign.commit.v1",
          "{\"tx_id\":\"fuzz\",\"wallet_id\":\"fuzz\",\"session_id\":\"fuzz\",\"inputs\":1}",
          "sign.share.v1",
          "{\"tx_id\":\"fuzz\",\"wallet_id\":\"fuzz\",\"session_id\":\"fuzz\",\"recipient\":\"x\","
              + "\"amount_sats\":1,\"unsigned_tx\":\"00\",\"prevouts\":[],\"commitments\":{}}",
          "peers.exchange.v1",
          "{\"peers\":[{\"node_id\":\"fuzz\"}]}");

  /** A node to fuzz: where its QUIC server listens and its management base URL. */
  record Target(String nodeId, InetSocketAddress quic, String management) {
    Target {
      if (!quic.getAddress().isLoopbackAddress()) {
        throw new IllegalArgumentException("fuzz traffic goes to 127.0.0.1 only, not " + quic);
      }
    }
  }

  private final IdentityCredentials orchestrator;
  private final X509Certificate clusterCa;
  private final List<Target> targets;
  private final long seed;
  private final Duration timeLimit;

  QuicFuzz(
      IdentityCredentials orchestrator,
      X509Certificate clusterCa,
      List<Target> targets,
      long seed,
      Duration timeLimit) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("no node to fuzz");
    }
    this.orchestrator = orchestrator;
    this.clusterCa = clusterCa;
    this.targets = List.copyOf(targets);
    this.seed = seed;
    this.timeLimit = timeLimit;
  }

  /** Every node of {@code layout}, as the orchestrator of its PKI directory. */
  static QuicFuzz forLayout(Layout layout, long seed) {
    ClusterPki pki = new ClusterPki(layout.pki());
    List<Target> targets = new ArrayList<>();
    for (int i = 1; i <= layout.nodes(); i++) {
      targets.add(
          new Target(
              Layout.nodeId(i),
              new InetSocketAddress("127.0.0.1", layout.nodeQuicPort(i)),
              "http://127.0.0.1:" + layout.nodeHttpPort(i)));
    }
    return new QuicFuzz(
        pki.loadIdentity("orchestrator"), pki.caCertificate(), targets, seed, DEFAULT_TIME_LIMIT);
  }

  QuicFuzzReport run(int requests) throws InterruptedException {
    if (requests < 1 || requests > MAX_REQUESTS) {
      throw new IllegalArgumentException("requests must be between 1 and " + MAX_REQUESTS);
    }
    long started = System.nanoTime();
    long deadline = started + timeLimit.toNanos();
    List<Optional<NodeMemory>> before = targets.stream().map(QuicFuzz::memory).toList();
    HostileInputs hostile = new HostileInputs(seed);
    Tally tally = new Tally();
    List<String> types = List.copyOf(new java.util.TreeSet<>(SAMPLES.keySet()));
    List<RawQuicConnection> connections = new ArrayList<>();
    try {
      for (Target target : targets) {
        connections.add(connect(target));
      }
      List<CompletableFuture<byte[]>> unfinished = new ArrayList<>();
      for (int i = 0; i < requests && System.nanoTime() < deadline; i++) {
        RawQuicConnection connection = connections.get(i % connections.size());
        int kind = i % 10;
        if (kind == 9 && unfinished.size() < 64) {
          // a frame announced at 1,000 bytes of which 10 come, and no FIN
          unfinished.add(
              connection.exchange(ByteBuffer.allocate(4 + 10).putInt(1_000).array(), false));
          tally.sent++;
          continue;
        }
        byte[] frame =
            switch (kind) {
              case 7 -> hostile.frame(hostile.type(10_000), utf8("{}"));
              case 8 -> hostile.abusedFrame(hostile.type(64));
              default -> {
                String type = types.get((i / 10 + kind) % types.size());
                yield hostile.frame(type, hostile.payloads(SAMPLES.get(type), 20).get(i % 20));
              }
            };
        tally.sent++;
        tally.record(await(connection.exchange(frame, true)));
      }
      for (CompletableFuture<byte[]> stream : unfinished) {
        tally.record(await(stream));
      }
      boolean serving = true;
      for (Target target : targets) {
        serving &= probe(target);
      }
      List<QuicFuzzReport.NodeReading> nodes = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        nodes.add(
            new QuicFuzzReport.NodeReading(
                targets.get(i).nodeId(), before.get(i), memory(targets.get(i))));
      }
      return new QuicFuzzReport(
          tally.sent,
          tally.refused,
          tally.accepted,
          tally.unanswered,
          tally.leaks,
          serving,
          nodes,
          Duration.ofNanos(System.nanoTime() - started));
    } finally {
      connections.forEach(RawQuicConnection::close);
    }
  }

  private RawQuicConnection connect(Target target) {
    try {
      return new RawQuicConnection(
          QuicTls.clientContext(
              orchestrator,
              clusterCa,
              new TransportMetrics(new SimpleMeterRegistry()),
              Clock.systemUTC()),
          target.quic(),
          WAIT);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot reach " + target.nodeId() + " at " + target.quic() + ": " + e, e);
    }
  }

  /** A read-only request every node answers to the orchestrator: its peer list. */
  private boolean probe(Target target) throws InterruptedException {
    try (RawQuicConnection connection = connect(target)) {
      Optional<Envelope> reply =
          await(
              connection.exchange(
                  new HostileInputs(seed).frame("peers.exchange.v1", utf8("{\"peers\":[]}")),
                  true));
      return reply.isPresent() && !reply.get().hasError();
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private static Optional<Envelope> await(CompletableFuture<byte[]> reply)
      throws InterruptedException {
    try {
      byte[] bytes = reply.get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
      try (FrameAccumulator frame =
          new FrameAccumulator(Frames.DEFAULT_MAX_FRAME_BYTES, UnpooledByteBufAllocator.DEFAULT)) {
        frame.append(Unpooled.wrappedBuffer(bytes));
        return Optional.of(frame.finish());
      }
    } catch (FrameException | java.util.concurrent.ExecutionException e) {
      return Optional.empty();
    } catch (java.util.concurrent.TimeoutException e) {
      reply.cancel(true);
      return Optional.empty();
    }
  }

  private static Optional<NodeMemory> memory(Target target) {
    return NodeMemory.read(target.management() + "/actuator/prometheus");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static final class Tally {
    int sent;
    int accepted;
    int unanswered;
    int leaks;
    final Map<String, Integer> refused = new TreeMap<>();

    void record(Optional<Envelope> reply) {
      if (reply.isEmpty()) {
        unanswered++;
        return;
      }
      if (HostileInputs.leaks(reply.get().toString())) {
        leaks++;
      }
      if (reply.get().hasError()) {
        refused.merge(reply.get().getError().getCode(), 1, Integer::sum);
      } else {
        accepted++;
      }
    }
  }
}
