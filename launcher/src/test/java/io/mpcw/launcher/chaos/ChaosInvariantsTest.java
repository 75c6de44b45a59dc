package io.mpcw.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.votes.Decision;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChaosInvariantsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WALLET = "bcrt1pwallet";
  private static final String RECIPIENT = "bcrt1precipient";

  @Test
  void aHistoryThatLeadsToItsOneFinalStateHolds() throws Exception {
    JsonNode tx = tx("confirmed", "t1", "pending", "voting", "approved", "confirmed");
    assertThat(ChaosInvariants.history("p", tx)).isEmpty();
  }

  @Test
  void aHistoryWithAGapOrTwoFinalStatesOrAnotherEndIsCaught() throws Exception {
    JsonNode gap =
        JSON.readTree(
            "{\"state\":\"confirmed\",\"history\":[{\"from\":null,\"to\":\"pending\"},"
                + "{\"from\":\"voting\",\"to\":\"confirmed\"}]}");
    assertThat(ChaosInvariants.history("p", gap)).anyMatch(v -> v.contains("jumps"));

    JsonNode twice = tx("confirmed", "t1", "pending", "failed", "confirmed");
    assertThat(ChaosInvariants.history("p", twice)).anyMatch(v -> v.contains("2 terminal"));

    JsonNode otherEnd = tx("confirmed", "t1", "pending", "voting");
    assertThat(ChaosInvariants.history("p", otherEnd)).anyMatch(v -> v.contains("history ends"));
  }

  @Test
  void moreApprovalsThanNodesOrAMisattributedVoteRecordAreCaught() {
    UUID tx = UUID.randomUUID();
    List<VoteRecord> votes =
        List.of(vote(tx, "node-1", "d1"), vote(tx, "node-2", "d1"), vote(tx, "node-3", "d2"));
    VoteSnapshot sound = new VoteSnapshot(votes, List.of(), Optional.empty(), 9);
    VoteSnapshot misattributed = new VoteSnapshot(votes, List.of("node-4"), Optional.empty(), 9);

    assertThat(ChaosInvariants.votes("p", 2, sound, 5)).isEmpty();
    assertThat(ChaosInvariants.votes("p", 2, misattributed, 5))
        .anyMatch(v -> v.contains("misattributed vote records of [node-4]"));
    assertThat(ChaosInvariants.votes("p", 6, sound, 5))
        .anyMatch(v -> v.contains("6 approvals from 5"));
  }

  @Test
  void theChainOfOneApprovedPaymentPerSpendHolds() throws Exception {
    PaymentLoad.Payment p = payment("p1", 20_000, "s1", true);
    List<JsonNode> chain = List.of(faucet("f1", WALLET), spend("s1", "f1:0", 20_000));

    ChaosInvariants.ChainCheck check = ChaosInvariants.chain(chain, List.of(p), RECIPIENT, WALLET);

    assertThat(check.violations()).isEmpty();
    assertThat(check.duplicated()).isZero();
  }

  @Test
  void aDoubleSpendAPaymentPaidTwiceAndAnUnapprovedSpendAreCaught() throws Exception {
    PaymentLoad.Payment approved = payment("p1", 20_000, "s1", true);
    PaymentLoad.Payment unapproved = payment("p2", 30_000, "s3", false);
    List<JsonNode> chain =
        List.of(
            faucet("f1", WALLET),
            faucet("f2", WALLET),
            spend("s1", "f1:0", 20_000),
            spend("s2", "f1:0", 20_000),
            spend("s3", "f2:0", 30_000));

    ChaosInvariants.ChainCheck check =
        ChaosInvariants.chain(chain, List.of(approved, unapproved), RECIPIENT, WALLET);

    assertThat(check.violations())
        .anyMatch(v -> v.contains("f1:0 spent twice"))
        .anyMatch(v -> v.contains("s2 spends the wallet's coins but is no payment's"))
        .anyMatch(v -> v.contains("p1 paid 2 times"))
        .anyMatch(v -> v.contains("never approved"));
    assertThat(check.duplicated()).isEqualTo(1);
  }

  private static VoteRecord vote(UUID tx, String node, String digest) {
    return VoteRecord.unsigned(tx, node, Decision.APPROVE, "", digest, Instant.EPOCH);
  }

  private static PaymentLoad.Payment payment(String key, long sats, String txid, boolean approved)
      throws Exception {
    PaymentLoad.Payment p = new PaymentLoad.Payment(key, sats);
    p.ids.add(UUID.randomUUID().toString());
    p.last =
        approved
            ? tx("confirmed", txid, "pending", "voting", "approved", "confirmed")
            : tx("confirmed", txid, "pending", "voting", "confirmed");
    return p;
  }

  private static JsonNode tx(String state, String txid, String... path) throws Exception {
    StringBuilder history = new StringBuilder();
    String from = null;
    for (String to : path) {
      history.append(history.isEmpty() ? "" : ",");
      history
          .append("{\"from\":")
          .append(from == null ? "null" : "\"" + from + "\"")
          .append(",\"to\":\"")
          .append(to)
          .append("\"}");
      from = to;
    }
    return JSON.readTree(
        "{\"state\":\""
            + state
            + "\",\"chain\":{\"txid\":\""
            + txid
            + "\"},\"history\":["
            + history
            + "]}");
  }

  private static JsonNode faucet(String txid, String to) throws Exception {
    return JSON.readTree(
        "{\"txid\":\""
            + txid
            + "\",\"vin\":[{\"coinbase\":\"00\"}],\"vout\":[{\"n\":0,"
            + "\"value\":0.01,\"scriptPubKey\":{\"address\":\""
            + to
            + "\"}}]}");
  }

  private static JsonNode spend(String txid, String outpoint, long sats) throws Exception {
    String[] parts = outpoint.split(":");
    return JSON.readTree(
        "{\"txid\":\""
            + txid
            + "\",\"vin\":[{\"txid\":\""
            + parts[0]
            + "\",\"vout\":"
            + parts[1]
            + "}],\"vout\":[{\"n\":0,\"value\":"
            + new java.math.BigDecimal(sats).movePointLeft(8)
            + ",\"scriptPubKey\":{\"address\":\""
            + RECIPIENT
            + "\"}}]}");
  }
}
