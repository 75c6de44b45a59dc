package io.mpcw.node.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.mpcw.node.fault.ByzantineMode;
import io.mpcw.node.identity.TestPki;
import io.mpcw.node.vote.VoteRecorder;
import io.mpcw.node.vote.VoteSigner;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.signing.EtcdApprovalCheck;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.transport.pki.RecordSignatures;
import io.mpcw.types.cluster.NodeIdentities;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.CastResult;
import io.mpcw.votes.Decision;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VotePayload;
import io.mpcw.votes.VoteRecord;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * node-1's approval check with its own journal ({@link JournalOwnVotes}) against a real etcd: its
 * own vote counts unverified only when etcd holds exactly the bytes it journaled, and the other
 * votes are verified only until the quorum is there (counted through the certificate look-ups each
 * verification starts with).
 */
class OwnVoteApprovalTest {
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static final List<String> NODES = List.of("node-1", "node-2", "node-3");
  private static final UUID WALLET = UUID.randomUUID();

  @TempDir static Path pkiDir;
  @TempDir Path shares;
  static TestPki pki;
  static Client etcd;
  static EtcdVoteLedger ledger;

  /** Nodes whose certificate the check asked for, in order: one per signature it verified. */
  private final List<String> lookedUp = new ArrayList<>();

  @BeforeAll
  static void connect() {
    pki = new TestPki(pkiDir);
    etcd = ETCD.client("root");
    ledger =
        new EtcdVoteLedger(
            etcd.getKVClient(),
            new EtcdKeys(ETCD.keyPrefix()),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30));
  }

  @AfterAll
  static void disconnect() {
    etcd.close();
  }

  private NodeJournal journal() {
    return NodeJournal.open(shares, entry -> true);
  }

  private EtcdApprovalCheck check(int minApprovals, JournalOwnVotes own) {
    return new EtcdApprovalCheck(
        ledger, minApprovals, this::certificate, pki.ca(), NodeIdentities.defaults(), own);
  }

  private Optional<X509Certificate> certificate(String node) {
    lookedUp.add(node);
    return Optional.of(pki.node(node).certificate());
  }

  private static VotePayload payment() {
    return new VotePayload(UUID.randomUUID(), WALLET, "bcrt1pexample", 42_000);
  }

  /** {@code node}'s approval of {@code p}, signed with {@code signer}'s key. */
  private static VoteRecord approval(String node, String signer, VotePayload p) {
    VoteRecord unsigned =
        VoteRecord.unsigned(
            p.txId(),
            node,
            Decision.APPROVE,
            "within policy",
            p.digest(Decision.APPROVE),
            Instant.now().truncatedTo(ChronoUnit.MILLIS));
    return unsigned.withSignature(
        RecordSignatures.sign(pki.credentials(signer), unsigned.signingPayload()));
  }

  private static void cast(VoteRecord vote) {
    assertThat(ledger.cast(vote)).isInstanceOf(CastResult.Counted.class);
  }

  private static void requireApproved(EtcdApprovalCheck check, VotePayload p) {
    check.requireApproved(p.txId(), p.walletId(), p.recipient(), p.amountSats(), NODES);
  }

  @Test
  void aForgedOwnVoteWithOtherBytesThanTheJournalsIsVerifiedAndRefused() {
    try (NodeJournal journal = journal();
        JournalOwnVotes own = new JournalOwnVotes("node-1", journal, Clock.systemUTC())) {
      VotePayload p = payment();
      // node-1 journals its honest approval, but etcd holds another record under its name: the
      // same fields, signed with node-2's key by whoever could write node-1's vote key
      own.record(approval("node-1", "node-1", p));
      cast(approval("node-1", "node-2", p));
      cast(approval("node-2", "node-2", p));

      assertThatThrownBy(() -> requireApproved(check(2, own), p))
          .isInstanceOfSatisfying(
              ProtocolException.class,
              e -> assertThat(e.code()).isEqualTo(ProtocolErrors.NOT_APPROVED))
          .hasMessageContaining("1 valid approval for this payment, 2 required");
      assertThat(lookedUp).contains("node-1");
    }
  }

  @Test
  void theOwnVoteAsJournaledCountsUnverifiedAndTheOthersAreVerifiedOnlyUntilTheQuorum() {
    try (NodeJournal journal = journal();
        JournalOwnVotes own = new JournalOwnVotes("node-1", journal, Clock.systemUTC())) {
      VotePayload p = payment();
      VoteRecord mine = approval("node-1", "node-1", p);
      own.record(mine);
      cast(mine);
      cast(approval("node-2", "node-2", p));
      cast(approval("node-3", "node-3", p));

      assertThatCode(() -> requireApproved(check(2, own), p)).doesNotThrowAnyException();
      assertThat(lookedUp).containsExactly("node-2");
    }
  }

  @Test
  void withoutAJournalEntryEveryVoteIsVerifiedUntilTheQuorum() {
    try (NodeJournal journal = journal();
        JournalOwnVotes own = new JournalOwnVotes("node-1", journal, Clock.systemUTC())) {
      VotePayload p = payment();
      NODES.forEach(node -> cast(approval(node, node, p)));

      assertThatCode(() -> requireApproved(check(2, own), p)).doesNotThrowAnyException();
      assertThat(lookedUp).containsExactly("node-1", "node-2");
    }
  }

  @Test
  void anotherNodesRecordIsNeverTakenForTheNodesOwn() {
    try (NodeJournal journal = journal();
        JournalOwnVotes own = new JournalOwnVotes("node-1", journal, Clock.systemUTC())) {
      VotePayload p = payment();
      VoteRecord mine = approval("node-1", "node-1", p);
      own.record(mine);

      assertThat(
              own.signedHere(
                  "node-2", p.txId(), mine.signingPayload(), mine.signatureBytes().orElseThrow()))
          .isFalse();
      assertThat(
              own.signedHere(
                  "node-1", p.txId(), mine.signingPayload(), mine.signatureBytes().orElseThrow()))
          .isTrue();
    }
  }

  @Test
  void theOwnVotesAreReadBackFromTheJournalAfterARestart() {
    VotePayload p = payment();
    VoteRecord mine = approval("node-1", "node-1", p);
    try (NodeJournal journal = journal();
        JournalOwnVotes own = new JournalOwnVotes("node-1", journal, Clock.systemUTC())) {
      own.record(mine);
    }
    cast(mine);
    cast(approval("node-2", "node-2", p));
    cast(approval("node-3", "node-3", p));

    try (NodeJournal reopened = journal();
        JournalOwnVotes own = new JournalOwnVotes("node-1", reopened, Clock.systemUTC())) {
      assertThatCode(() -> requireApproved(check(2, own), p)).doesNotThrowAnyException();
      assertThat(lookedUp).containsExactly("node-2");
    }
  }

  @Test
  void tooFewValidApprovalsAreRefusedAfterEveryCandidateWasVerified() {
    try (NodeJournal journal = journal();
        JournalOwnVotes own = new JournalOwnVotes("node-1", journal, Clock.systemUTC())) {
      VotePayload p = payment();
      cast(approval("node-2", "node-2", p));
      // node-3's vote signed with node-2's key
      cast(approval("node-3", "node-2", p));

      assertThatThrownBy(() -> requireApproved(check(2, own), p))
          .hasMessageContaining("1 valid approval for this payment, 2 required");
      assertThat(lookedUp).containsExactly("node-2", "node-3");
    }
  }

  @Test
  void theVoteRecorderJournalsHonestApprovalsOnlyNeitherRejectionsNorForgedSignatures() {
    try (NodeJournal journal = journal();
        JournalOwnVotes own = new JournalOwnVotes("node-1", journal, Clock.systemUTC())) {
      VoteSigner signer = new VoteSigner(pki.node("node-1"));
      Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      VotePayload approved = payment();
      VotePayload rejected = payment();
      VotePayload forged = payment();

      VoteRecord honest =
          new VoteRecorder(signer, ByzantineMode.NONE, own::record)
              .record(approved, Decision.APPROVE, "within policy", at);
      VoteRecord rejection =
          new VoteRecorder(signer, ByzantineMode.NONE, own::record)
              .record(rejected, Decision.REJECT, "over the limit", at);
      VoteRecord bad =
          new VoteRecorder(signer, ByzantineMode.BAD_SIGNATURE, own::record)
              .record(forged, Decision.APPROVE, "within policy", at);

      assertThat(ownRecord(own, honest)).isTrue();
      assertThat(ownRecord(own, rejection)).isFalse();
      assertThat(ownRecord(own, bad)).isFalse();
      assertThat(journal.entries()).isEmpty();
    }
    try (NodeJournal reopened = journal()) {
      assertThat(reopened.entries()).extracting(NodeJournal.Entry::kind).containsExactly("voted");
    }
  }

  private static boolean ownRecord(JournalOwnVotes own, VoteRecord vote) {
    return own.signedHere(
        vote.nodeId(), vote.txId(), vote.signingPayload(), vote.signatureBytes().orElseThrow());
  }
}
