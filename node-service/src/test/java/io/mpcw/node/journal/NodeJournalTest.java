package io.mpcw.node.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.signing.SignedTransaction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeJournalTest {
  private static final Instant AT = Instant.parse("2026-12-04T12:00:00Z");

  @TempDir Path dir;

  private NodeJournal open() {
    return NodeJournal.open(dir, entry -> true);
  }

  private static NodeJournal.Entry entry(String kind, String... fields) {
    return new NodeJournal.Entry(kind, AT, List.of(fields));
  }

  @Test
  void entriesAppendedTogetherSurviveAReopenInTheirOrder() {
    try (NodeJournal journal = open()) {
      journal.append(entry("approved", "a", "b", "1"));
      journal.appendAll(List.of(entry("voted", "c", "d"), entry("voted", "e", "f")));
    }

    try (NodeJournal reopened = open()) {
      assertThat(reopened.entries())
          .extracting(e -> e.kind() + " " + String.join(" ", e.fields()))
          .containsExactly("approved a b 1", "voted c d", "voted e f");
    }
  }

  @Test
  void entriesSurviveAReopenInTheOrderTheyWereWritten() {
    try (NodeJournal journal = open()) {
      journal.append(entry("approved", "a", "b", "1"));
      journal.append(entry("signed", "c", "d", "e,f"));
    }

    try (NodeJournal reopened = open()) {
      assertThat(reopened.entries())
          .containsExactly(entry("approved", "a", "b", "1"), entry("signed", "c", "d", "e,f"));
    }
    assertThat(Files.isRegularFile(dir.resolve(NodeJournal.FILE))).isTrue();
  }

  @Test
  void anIncompleteLastLineFromACrashIsDroppedAndTheRestKept() throws Exception {
    try (NodeJournal journal = open()) {
      journal.append(entry("signed", "c", "d", "e"));
    }
    Files.writeString(
        dir.resolve(NodeJournal.FILE), "0badc0de signed 1 x", StandardOpenOption.APPEND);

    try (NodeJournal reopened = open()) {
      assertThat(reopened.entries()).containsExactly(entry("signed", "c", "d", "e"));
      reopened.append(entry("signed", "g", "h", "i"));
    }
    try (NodeJournal again = open()) {
      assertThat(again.entries()).hasSize(2);
    }
  }

  @Test
  void aDamagedEntryBeforeTheLastStopsTheNode() throws Exception {
    try (NodeJournal journal = open()) {
      journal.append(entry("signed", "c", "d", "e"));
      journal.append(entry("signed", "f", "g", "h"));
    }
    Path file = dir.resolve(NodeJournal.FILE);
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Files.writeString(file, text.replaceFirst("signed 1", "signed 2"));

    assertThatThrownBy(this::open)
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("damaged at line 1");
  }

  @Test
  void entriesTheOwnerNoLongerNeedsAreDroppedAtOpen() {
    try (NodeJournal journal = open()) {
      journal.append(entry("approved", "a", "b", "1"));
      journal.append(entry("signed", "c", "d", "e"));
    }
    try (NodeJournal compacted = NodeJournal.open(dir, e -> !e.kind().equals("approved"))) {
      assertThat(compacted.entries()).containsExactly(entry("signed", "c", "d", "e"));
    }
    try (NodeJournal reopened = open()) {
      assertThat(reopened.entries()).containsExactly(entry("signed", "c", "d", "e"));
    }
  }

  @Test
  void aPaymentSignedBeforeARestartGetsNoOtherTransactionAfterIt() {
    UUID payment = UUID.randomUUID();
    SignedTransaction first = new SignedTransaction("aa".repeat(32), List.of("11".repeat(32)));
    try (NodeJournal journal = open()) {
      new JournalSigningRecord(journal, Clock.systemUTC()).record(payment, first);
    }

    try (NodeJournal journal = open()) {
      JournalSigningRecord record = new JournalSigningRecord(journal, Clock.systemUTC());
      assertThat(record.find(payment)).contains(first);
      record.record(payment, first); // the same again is fine
      SignedTransaction second = new SignedTransaction("bb".repeat(32), List.of("22".repeat(32)));
      assertThatThrownBy(() -> record.record(payment, second))
          .isInstanceOfSatisfying(
              ProtocolException.class,
              e -> assertThat(e.code()).isEqualTo(ProtocolErrors.CONFLICTING_TRANSACTION));
      assertThat(record.size()).isEqualTo(1);
    }
  }

  @Test
  void paymentsRecordedTogetherSurviveARestartAndOneSignedOtherwiseIsRefusedAlone()
      throws Exception {
    UUID earlier = UUID.randomUUID();
    UUID fresh = UUID.randomUUID();
    UUID again = UUID.randomUUID();
    SignedTransaction first = new SignedTransaction("aa".repeat(32), List.of("11".repeat(32)));
    SignedTransaction other = new SignedTransaction("bb".repeat(32), List.of("22".repeat(32)));
    try (NodeJournal journal = open()) {
      JournalSigningRecord record = new JournalSigningRecord(journal, Clock.systemUTC());
      record.record(earlier, first);
      record.record(again, first);
      java.util.Map<UUID, SignedTransaction> batch = new java.util.LinkedHashMap<>();
      batch.put(earlier, other);
      batch.put(fresh, other);
      batch.put(again, first);

      var refused = record.recordAll(batch);

      assertThat(refused).containsOnlyKeys(earlier);
      assertThat(refused.get(earlier).code()).isEqualTo(ProtocolErrors.CONFLICTING_TRANSACTION);
    }
    // one new line: the payment recorded again the same adds nothing, the refused one nothing
    assertThat(Files.readAllLines(dir.resolve(NodeJournal.FILE))).hasSize(3);
    try (NodeJournal journal = open()) {
      JournalSigningRecord record = new JournalSigningRecord(journal, Clock.systemUTC());
      assertThat(record.find(earlier)).contains(first);
      assertThat(record.find(fresh)).contains(other);
      assertThat(record.find(again)).contains(first);
    }
  }
}
