package io.mpcw.orchestrator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.config.RegistryProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.pipeline.PipelineEngine;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.WorkClaims;
import io.mpcw.orchestrator.support.Api;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.trust.ClusterTrust;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.pki.CertificateIssuer;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.pki.PemFiles;
import io.mpcw.types.cluster.NodeStatus;
import io.mpcw.types.cluster.PeerEntry;
import io.mpcw.types.transaction.TransactionState;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The orchestrator's membership while the registry is down: from the nodes over QUIC (their
 * certificates checked against the cluster CA), from the list stored in PostgreSQL (also by a
 * process that never reached the registry), and back to the registry; payments keep getting votes
 * from five QUIC nodes with signed votes in real etcd.
 */
class MembershipFallbackTest extends OrchestratorTestBase {
  @Autowired List<StageHandler> stages;
  @Autowired WorkClaims claims;
  @Autowired io.mpcw.orchestrator.transaction.WorkSignals workSignals;
  @Autowired StateTransitions transitions;
  @Autowired TransactionTemplate database;
  @Autowired OrchestrationMetrics metrics;
  @Autowired MeterRegistry meters;
  @Autowired ObjectMapper json;
  @Autowired MembershipProperties membershipProperties;
  @Autowired RegistryProperties registryProperties;
  @Autowired ClusterTrust trust;
  @Autowired TransportClient transport;
  @Autowired MembershipMetrics membershipMetrics;

  private final List<PeerListingNode> nodes = new ArrayList<>();
  private final List<AutoCloseable> running = new ArrayList<>();

  @BeforeEach
  void startNodes() {
    for (int i = 1; i <= 5; i++) {
      PeerListingNode node = new PeerListingNode("node-" + i, CLUSTER);
      nodes.add(node);
      running.add(node);
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : running) {
      c.close();
    }
    REGISTRY.up(true);
  }

  /** What a node in peer mode reports: every running node, seen just now, with its certificate. */
  private List<PeerEntry> clusterAsReported() {
    long now = Instant.now().toEpochMilli();
    return nodes.stream()
        .map(n -> new PeerEntry(n.nodeId(), n.address(), pem(n.nodeId()), NodeStatus.ACTIVE, now))
        .toList();
  }

  private static String pem(String identity) {
    return PemFiles.toPem(CLUSTER.pki().loadIdentity(identity).certificate());
  }

  private void engine() {
    List<StageHandler> voting =
        stages.stream()
            .filter(
                s -> s.stage() == TransactionState.PENDING || s.stage() == TransactionState.VOTING)
            .toList();
    PipelineEngine engine =
        new PipelineEngine(
            "membership-it",
            voting,
            new PipelineProperties(
                Duration.ofMillis(20),
                8,
                8,
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofMillis(50),
                Map.of(TransactionState.VOTING, Duration.ofSeconds(10)),
                ""),
            claims,
            transitions,
            database,
            metrics,
            workSignals);
    running.add(engine);
    engine.start();
  }

  private JsonNode paymentApproved() {
    String id =
        api.post(
                "/api/v1/transactions",
                SUBMIT_KEY,
                "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":10000}")
            .body()
            .get("id")
            .asText();
    engine();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/v1/transactions/" + id, READ_KEY)
                    .body()
                    .get("state")
                    .asText()
                    .equals("approved"));
    return api.get("/api/v1/transactions/" + id, READ_KEY).body();
  }

  private Api.Response clusterNodes() {
    return api.get("/api/v1/cluster/nodes", READ_KEY);
  }

  private static List<String> addresses(JsonNode document) {
    List<String> addresses = new ArrayList<>();
    document.path("nodes").forEach(n -> addresses.add(n.path("quic_address").asText()));
    return addresses;
  }

  private double sourceGauge(MembershipSource source) {
    return meters
        .get("orchestration_membership_source")
        .tag("source", source.tag())
        .gauge()
        .value();
  }

  private double refused(String reason) {
    Counter counter =
        meters
            .find("orchestration_membership_entries_refused_total")
            .tag("reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private List<String> realAddresses() {
    return nodes.stream().map(PeerListingNode::address).toList();
  }

  @Test
  void withTheRegistryDownTheNodesReportTheMembershipAndAPaymentStillGetsVotes() {
    // the registry knows where node-1 is, and wrong addresses for the four others
    REGISTRY.quicAddress(1, nodes.get(0).address());
    nodes.get(0).answerPeersWith(this::clusterAsReported);
    Api.Response fromRegistry = clusterNodes();
    assertThat(fromRegistry.headers().get("x-mpcw-membership-stale")).containsExactly("false");
    assertThat(fromRegistry.headers().get("x-mpcw-membership-source")).containsExactly("registry");
    assertThat(sourceGauge(MembershipSource.REGISTRY)).isEqualTo(1);

    REGISTRY.up(false);
    Api.Response fromNodes = clusterNodes();

    assertThat(fromNodes.status()).isEqualTo(200);
    assertThat(fromNodes.headers().get("x-mpcw-membership-stale")).containsExactly("true");
    assertThat(fromNodes.headers().get("x-mpcw-membership-source")).containsExactly("peers");
    assertThat(addresses(fromNodes.body())).containsExactlyElementsOf(realAddresses());
    assertThat(sourceGauge(MembershipSource.PEERS)).isEqualTo(1);
    assertThat(sourceGauge(MembershipSource.REGISTRY)).isZero();
    // only the nodes' report has the four right addresses: the votes prove it is the one used
    JsonNode tx = paymentApproved();
    assertThat(tx.get("voting").get("approvals").asInt()).isGreaterThanOrEqualTo(4);
    assertThat(clusterNodes().headers().get("x-mpcw-membership-stale")).containsExactly("true");
  }

  @Test
  void aProcessThatNeverReachedTheRegistryVotesOnTheStoredList() {
    REGISTRY.up(false);
    // what an earlier orchestrator process stored before this one started
    ObjectNode document = json.createObjectNode();
    ArrayNode list = document.putArray("nodes");
    for (PeerListingNode node : nodes) {
      list.addObject()
          .put("node_id", node.nodeId())
          .put("quic_address", node.address())
          .put("status", "active")
          .put("cpu_load", 10.0)
          .put("last_heartbeat", Instant.now().toString());
    }
    new MembershipStore(jdbc, database, json, membershipProperties)
        .save(document, MembershipSource.REGISTRY);
    RegistryClient restarted =
        new RegistryClient(
            registryProperties,
            json,
            trust,
            new MembershipStore(jdbc, database, json, membershipProperties),
            new PeerMembership(transport, trust, json, membershipProperties, membershipMetrics),
            membershipMetrics);

    RegistryClient.NodeList known = restarted.nodes();

    assertThat(known.stale()).isTrue();
    assertThat(known.source()).isEqualTo(MembershipSource.STORED);
    assertThat(addresses(known.document())).containsExactlyElementsOf(realAddresses());
    assertThat(new NodeDirectory(restarted, trust).nodes().values())
        .hasSize(5)
        .allSatisfy(
            n -> {
              assertThat(n.endpoint()).isPresent();
              assertThat(n.certificate()).isPresent();
            });
    Api.Response proxied = clusterNodes();
    assertThat(proxied.headers().get("x-mpcw-membership-stale")).containsExactly("true");
    assertThat(proxied.headers().get("x-mpcw-membership-source")).containsExactly("stored");
    assertThat(sourceGauge(MembershipSource.STORED)).isEqualTo(1);
    assertThat(paymentApproved().get("voting").get("approvals").asInt()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void reportedNodesWithoutAValidCertificateOfTheirOwnOrAUsableAddressAreLeftOutAndCounted()
      throws Exception {
    ClusterPki other = new ClusterPki(Files.createTempDirectory("other-ca-").resolve("pki"));
    other.init(List.of("node-6"));
    String foreign = PemFiles.toPem(other.loadIdentity("node-6").certificate());
    long now = Instant.now().toEpochMilli();
    String expired =
        PemFiles.toPem(
            new CertificateIssuer()
                .issue(
                    CLUSTER.pki().loadCa(),
                    "node-12",
                    List.of(),
                    Instant.now().minus(Duration.ofDays(2)),
                    Instant.now().minus(Duration.ofDays(1)))
                .certificate());
    nodes
        .get(0)
        .answerPeersWith(
            () -> {
              List<PeerEntry> entries = new ArrayList<>(clusterAsReported());
              entries.add(
                  new PeerEntry("node-6", "127.0.0.1:7106", foreign, NodeStatus.ACTIVE, now));
              entries.add(
                  new PeerEntry("node-7", "127.0.0.1:7107", pem("node-2"), NodeStatus.ACTIVE, now));
              entries.add(
                  new PeerEntry(
                      "orchestrator",
                      "127.0.0.1:7108",
                      pem("orchestrator"),
                      NodeStatus.ACTIVE,
                      now));
              entries.add(new PeerEntry("node-9", "127.0.0.1:7109", null, NodeStatus.ACTIVE, now));
              entries.add(
                  new PeerEntry("node-10", "nowhere", pem("node-3"), NodeStatus.ACTIVE, now));
              entries.add(
                  new PeerEntry(
                      "node-11", "127.0.0.1:7111", "not a certificate", NodeStatus.ACTIVE, now));
              entries.add(
                  new PeerEntry("node-12", "127.0.0.1:7112", expired, NodeStatus.ACTIVE, now));
              return entries;
            });
    REGISTRY.quicAddress(1, nodes.get(0).address());
    clusterNodes();
    double foreignBefore = refused("untrusted_issuer");
    double mismatchBefore = refused("name_mismatch");
    double notNodeBefore = refused("not_a_node");
    double missingBefore = refused("missing_certificate");
    double addressBefore = refused("bad_address");
    double unreadableBefore = refused("unreadable_certificate");
    double expiredBefore = refused("expired");

    REGISTRY.up(false);
    Api.Response fromNodes = clusterNodes();

    assertThat(fromNodes.headers().get("x-mpcw-membership-source")).containsExactly("peers");
    List<String> ids = new ArrayList<>();
    fromNodes.body().path("nodes").forEach(n -> ids.add(n.path("node_id").asText()));
    assertThat(ids).containsExactly("node-1", "node-2", "node-3", "node-4", "node-5");
    assertThat(refused("untrusted_issuer")).isEqualTo(foreignBefore + 1);
    assertThat(refused("name_mismatch")).isEqualTo(mismatchBefore + 1);
    assertThat(refused("not_a_node")).isEqualTo(notNodeBefore + 1);
    assertThat(refused("missing_certificate")).isEqualTo(missingBefore + 1);
    assertThat(refused("bad_address")).isEqualTo(addressBefore + 1);
    assertThat(refused("unreadable_certificate")).isEqualTo(unreadableBefore + 1);
    assertThat(refused("expired")).isEqualTo(expiredBefore + 1);
  }

  @Test
  void whenTheRegistryIsBackTheMembershipIsTheRegistrysAgain() {
    REGISTRY.quicAddress(1, nodes.get(0).address());
    nodes.get(0).answerPeersWith(this::clusterAsReported);
    clusterNodes();
    REGISTRY.up(false);
    assertThat(clusterNodes().headers().get("x-mpcw-membership-source")).containsExactly("peers");

    REGISTRY.up(true);
    Api.Response back = clusterNodes();

    assertThat(back.headers().get("x-mpcw-membership-stale")).containsExactly("false");
    assertThat(back.headers().get("x-mpcw-membership-source")).containsExactly("registry");
    assertThat(sourceGauge(MembershipSource.REGISTRY)).isEqualTo(1);
    assertThat(sourceGauge(MembershipSource.PEERS)).isZero();
    assertThat(Set.copyOf(addresses(back.body()))).contains("127.0.0.1:9");
  }
}
