package io.mpcw.launcher.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcd.jetcd.Client;
import io.mpcw.chain.BitcoindRpcClient;
import io.mpcw.etcd.EtcdClients;
import io.mpcw.etcd.EtcdTlsFiles;
import io.mpcw.launcher.cluster.Credentials;
import io.mpcw.launcher.cluster.Layout;
import io.mpcw.launcher.cluster.PaymentHistory;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteSnapshot;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What must hold after every fault, checked from the outside: the API's views, etcd's vote records
 * and the chain's blocks. Each check returns the violations it found, so a run reports all of them.
 */
final class ChaosInvariants implements AutoCloseable {

  private final BitcoindRpcClient chain;
  private final String recipient;
  private final String walletAddress;
  private final int nodes;
  private final Client etcd;
  private final EtcdVoteLedger ledger;

  ChaosInvariants(
      Credentials credentials,
      String etcdEndpoints,
      EtcdTlsFiles etcdTls,
      String recipient,
      String walletAddress,
      int nodes) {
    this.chain =
        BitcoindRpcClient.create(
            credentials.chainRpcUrl(), credentials.chainUser(), credentials.chainPassword());
    this.recipient = recipient;
    this.walletAddress = walletAddress;
    this.nodes = nodes;
    this.etcd = EtcdClients.connect(etcdEndpoints, etcdTls);
    this.ledger =
        new EtcdVoteLedger(
            etcd.getKVClient(), EtcdKeys.defaults(), Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  /** Per scenario: one id per key, one terminal state, a history that leads to it, sane votes. */
  List<String> payments(List<PaymentLoad.Payment> payments) {
    List<String> violations = new ArrayList<>();
    for (PaymentLoad.Payment p : payments) {
      if (p.ids.size() != 1) {
        violations.add(p.key + ": " + p.ids.size() + " transactions for one Idempotency-Key");
      }
      JsonNode tx = p.last;
      if (tx == null) {
        violations.add(p.key + ": never read back");
        continue;
      }
      violations.addAll(history(p.key, tx));
      violations.addAll(votes(p.key, tx));
    }
    return violations;
  }

  /** The history leads, row by row, to the state shown, and holds exactly one final state. */
  static List<String> history(String key, JsonNode tx) {
    List<String> violations = new ArrayList<>();
    String previous = null;
    int terminal = 0;
    for (JsonNode h : tx.path("history")) {
      String from = h.path("from").isNull() ? null : h.path("from").asText();
      if (previous != null && !previous.equals(from)) {
        violations.add(key + ": history jumps from " + previous + " to a row from " + from);
      }
      previous = h.path("to").asText();
      if (PaymentHistory.isFinalState(previous)) {
        terminal++;
      }
    }
    if (!tx.path("state").asText().equals(previous)) {
      violations.add(
          key + ": state " + tx.path("state").asText() + " but history ends " + previous);
    }
    if (terminal != 1) {
      violations.add(key + ": " + terminal + " terminal states in its history");
    }
    return violations;
  }

  private List<String> votes(String key, JsonNode tx) {
    List<String> nodeIds = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      nodeIds.add(Layout.nodeId(i));
    }
    VoteSnapshot snapshot = ledger.snapshot(UUID.fromString(tx.path("id").asText()), nodeIds);
    return votes(key, tx.path("voting").path("approvals").asInt(0), snapshot, nodes);
  }

  /**
   * At most n approvals, one record per node, and every node's vote key holding a readable vote of
   * that node (a vote is recorded under its own node's key, the only one that node may write).
   */
  static List<String> votes(String key, int approvals, VoteSnapshot snapshot, int nodes) {
    List<String> violations = new ArrayList<>();
    if (approvals > nodes) {
      violations.add(key + ": " + approvals + " approvals from " + nodes + " nodes");
    }
    Set<String> voters = new HashSet<>();
    for (VoteRecord vote : snapshot.votes()) {
      if (!voters.add(vote.nodeId())) {
        violations.add(key + ": two vote records of " + vote.nodeId());
      }
    }
    if (voters.size() > nodes) {
      violations.add(key + ": " + voters.size() + " vote records from " + nodes + " nodes");
    }
    if (!snapshot.malformed().isEmpty()) {
      violations.add(key + ": unreadable or misattributed vote records of " + snapshot.malformed());
    }
    return violations;
  }

  /**
   * Over the whole chain: no outpoint spent twice; every spend of the wallet's coins is a payment
   * the API shows as approved and recorded with that txid; at most one transaction per payment.
   *
   * @return the violations, and the count of duplicated payments (a payment paid twice)
   */
  ChainCheck chain(List<PaymentLoad.Payment> all) {
    return chain(chainTransactions(), all, recipient, walletAddress);
  }

  static ChainCheck chain(
      List<JsonNode> txs, List<PaymentLoad.Payment> all, String recipient, String walletAddress) {
    List<String> violations = new ArrayList<>();
    Map<String, PaymentLoad.Payment> byTxid = new HashMap<>();
    Map<Long, PaymentLoad.Payment> bySats = new HashMap<>();
    for (PaymentLoad.Payment p : all) {
      bySats.put(p.sats, p);
      if (p.last != null) {
        String txid = p.last.path("chain").path("txid").asText("");
        if (!txid.isEmpty() && !txid.equals("null")) {
          byTxid.put(txid, p);
        }
      }
    }
    Map<String, String> outputOwner = new HashMap<>();
    Set<String> spent = new HashSet<>();
    Map<PaymentLoad.Payment, Integer> paidTimes = new HashMap<>();
    for (JsonNode tx : txs) {
      String txid = tx.path("txid").asText();
      for (JsonNode out : tx.path("vout")) {
        outputOwner.put(
            txid + ":" + out.path("n").asInt(), out.path("scriptPubKey").path("address").asText());
      }
    }
    for (JsonNode tx : txs) {
      String txid = tx.path("txid").asText();
      boolean spendsWallet = false;
      for (JsonNode in : tx.path("vin")) {
        if (in.has("coinbase")) {
          continue;
        }
        String outpoint = in.path("txid").asText() + ":" + in.path("vout").asInt();
        if (!spent.add(outpoint)) {
          violations.add("outpoint " + outpoint + " spent twice (again in " + txid + ")");
        }
        spendsWallet |= walletAddress.equals(outputOwner.get(outpoint));
      }
      for (JsonNode out : tx.path("vout")) {
        if (recipient.equals(out.path("scriptPubKey").path("address").asText())) {
          long sats = new BigDecimal(out.path("value").asText()).movePointRight(8).longValueExact();
          PaymentLoad.Payment p = bySats.get(sats);
          if (p == null) {
            violations.add(txid + " pays " + sats + " sats that no payment asked for");
          } else {
            paidTimes.merge(p, 1, Integer::sum);
          }
        }
      }
      if (spendsWallet) {
        PaymentLoad.Payment p = byTxid.get(txid);
        if (p == null) {
          violations.add(txid + " spends the wallet's coins but is no payment's recorded txid");
        } else if (!PaymentHistory.passedThrough(p.last, "approved")) {
          violations.add(txid + " spends the wallet's coins for " + p.key + ", never approved");
        }
      }
    }
    int duplicated = 0;
    for (Map.Entry<PaymentLoad.Payment, Integer> e : paidTimes.entrySet()) {
      if (e.getValue() > 1) {
        duplicated++;
        violations.add(e.getKey().key + " paid " + e.getValue() + " times on the chain");
      }
    }
    return new ChainCheck(violations, duplicated, txs.size());
  }

  /**
   * @param violations what did not hold
   * @param duplicated payments paid more than once
   * @param transactions transactions in the chain's blocks
   */
  record ChainCheck(List<String> violations, int duplicated, int transactions) {}

  private List<JsonNode> chainTransactions() {
    List<JsonNode> txs = new ArrayList<>();
    for (long h = 0; h <= chain.blockHeight(); h++) {
      txs.addAll(chain.blockTransactions(h));
    }
    return txs;
  }

  @Override
  public void close() {
    etcd.close();
  }
}
