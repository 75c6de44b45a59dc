package io.mpcw.orchestrator.api.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.orchestrator.config.ApiProperties;
import io.mpcw.orchestrator.payment.ImportedTransactions;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.NewPaymentPlace;
import io.mpcw.orchestrator.pipeline.NewPaymentPlaces;
import io.mpcw.orchestrator.psbt.PsbtPayment;
import io.mpcw.orchestrator.transaction.PageCursor;
import io.mpcw.orchestrator.transaction.PaymentIds;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.TransactionRecord;
import io.mpcw.orchestrator.transaction.TransactionRepository;
import io.mpcw.orchestrator.voting.VotingRound;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.orchestrator.web.ApiException;
import io.mpcw.types.problem.FieldError;
import io.mpcw.types.problem.ProblemType;
import io.mpcw.types.transaction.TransactionState;
import io.mpcw.votes.EtcdVoteLedger;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** Accepting, finding, listing and cancelling payments. */
@Service
public class TransactionService {
  static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
  private final TransactionRepository transactions;
  private final StateTransitions transitions;
  private final Wallets wallets;
  private final TransactionRequestValidator validator;
  private final JdbcClient jdbc;
  private final ObjectMapper json;
  private final BigDecimal defaultFeeRate;
  private final Admission admission;
  private final PaymentIds ids = new PaymentIds();

  private final ImportedTransactions importedTransactions;
  private final NewPaymentPlaces pendingStage;
  private final TransactionTemplate database;
  private final VoteCancellation voteCancellation;

  TransactionService(
      TransactionRepository transactions,
      StateTransitions transitions,
      Wallets wallets,
      TransactionRequestValidator validator,
      JdbcClient jdbc,
      ObjectMapper json,
      ApiProperties api,
      Admission admission,
      ImportedTransactions importedTransactions,
      NewPaymentPlaces pendingStage,
      EtcdVoteLedger votes,
      TransactionTemplate database) {
    this.transactions = transactions;
    this.transitions = transitions;
    this.wallets = wallets;
    this.validator = validator;
    this.jdbc = jdbc;
    this.json = json;
    this.defaultFeeRate = api.defaultFeeRateSatVb();
    this.admission = admission;
    this.importedTransactions = importedTransactions;
    this.pendingStage = pendingStage;
    this.database = database;
    this.voteCancellation = new VoteCancellation(votes);
  }

  /**
   * A stored payment, and whether this call created it (false: an idempotent replay); with the
   * voting round it opened when it passed through pending.
   */
  public record Created(TransactionRecord transaction, boolean isNew, Optional<VotingRound> round) {
    public Created(TransactionRecord transaction, boolean isNew) {
      this(transaction, isNew, Optional.empty());
    }
  }

  /**
   * Stores a new payment, or finds the one stored under the same key. The place in the pipeline is
   * reserved before the database transaction begins: the pending stage's say on it may read the
   * registry's node list, and no connection is held meanwhile.
   */
  public Created create(
      CreateTransactionRequest request, Optional<String> idempotencyKey, String actor) {
    idempotencyKey.ifPresent(TransactionService::checkIdempotencyKey);
    List<FieldError> errors = validator.validate(request);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }
    Wallet wallet = walletFor(request);
    Optional<PsbtPayment> imported = Optional.empty();
    if (request.psbt() != null) {
      if (!wallet.isReady() || wallet.scriptPubKey().isEmpty()) {
        throw ApiException.invalid("wallet_id", "the wallet has no key yet");
      }
      imported = Optional.of(PsbtPayment.read(request.psbt(), wallet));
    }
    byte[] fingerprint = RequestFingerprint.of(request, json);
    TransactionRepository.NewPayment payment =
        new TransactionRepository.NewPayment(
            ids.next(),
            wallet.id(),
            imported.map(PsbtPayment::recipient).orElse(request.recipient()),
            imported.map(PsbtPayment::amountSats).orElse(request.amountSats()),
            imported
                .map(PsbtPayment::feeRateSatVb)
                .or(() -> Optional.ofNullable(request.feeRateSatVb()))
                .orElse(defaultFeeRate),
            request.hasMetadata() ? Optional.of(write(request)) : Optional.empty(),
            actor);
    try {
      admission.admitOne();
    } catch (Admission.Busy busy) {
      // a request the cluster already accepted gets its payment even when busy
      return new Created(
          idempotencyKey.flatMap(key -> replay(key, fingerprint)).orElseThrow(() -> busy), false);
    }
    // with a place in this replica's pipeline (room now) the payment is stored as the pending
    // stage's claim, and moved on at once into the voting stage's when the place is there, and
    // started here after the commit: no wake-up and no claim statement
    Optional<NewPaymentPlace> place = pendingStage.reserve(payment.entering(imported.isPresent()));
    // set once a stored payment took the place: from then on the commit starts it or the rollback
    // frees it
    AtomicBoolean taken = new AtomicBoolean();
    try {
      Optional<PsbtPayment> psbt = imported;
      return database.execute(
          status -> store(payment, psbt, place, taken, idempotencyKey, fingerprint));
    } finally {
      // a place that no stored payment took is free again
      if (!taken.get()) {
        place.ifPresent(NewPaymentPlace::giveBack);
      }
    }
  }

  private Created store(
      TransactionRepository.NewPayment payment,
      Optional<PsbtPayment> imported,
      Optional<NewPaymentPlace> place,
      AtomicBoolean taken,
      Optional<String> idempotencyKey,
      byte[] fingerprint) {
    Optional<StateTransitions.NextClaim> claim = place.map(NewPaymentPlace::claim);
    Optional<TransactionRecord> stored =
        idempotencyKey.isPresent()
            ? transactions.insertPendingUnderKey(payment, claim, idempotencyKey.get(), fingerprint)
            : Optional.of(transactions.insertPending(payment, claim));
    if (stored.isEmpty()) {
      // the key's payment was committed by another request meanwhile
      return new Created(
          replay(idempotencyKey.get(), fingerprint)
              .orElseThrow(
                  () ->
                      new ApiException(
                          ProblemType.CONFLICT,
                          "Idempotency-Key is in use by a request still running; retry.")),
          false);
    }
    TransactionRecord tx = stored.get();
    imported.ifPresent(p -> importedTransactions.store(tx.id(), p.psbt()));
    transitions.created(tx, place.isPresent());
    Optional<ClaimedTransaction> started =
        place.map(
            p -> {
              ClaimedTransaction claimed = p.startOnceCommitted(tx);
              taken.set(true);
              return claimed;
            });
    return new Created(
        started.map(ClaimedTransaction::tx).orElse(tx),
        true,
        started.flatMap(c -> c.handedOver(VotingRound.class)));
  }

  public Optional<TransactionRecord> find(UUID id) {
    return transactions.find(id);
  }

  public record Page(List<TransactionRecord> items, Optional<String> nextCursor) {}

  public Page list(Optional<TransactionState> state, Optional<String> cursor, int limit) {
    Optional<PageCursor> after =
        cursor.map(
            c ->
                PageCursor.decode(c)
                    .orElseThrow(
                        () -> ApiException.invalid("cursor", "is not a cursor from this API")));
    List<TransactionRecord> rows = transactions.list(state, after, limit + 1);
    if (rows.size() <= limit) {
      return new Page(rows, Optional.empty());
    }
    List<TransactionRecord> page = rows.subList(0, limit);
    TransactionRecord last = page.get(limit - 1);
    return new Page(page, Optional.of(new PageCursor(last.createdAt(), last.id()).encode()));
  }

  /**
   * Cancels a pending or voting payment; anything later is refused with 409. A payment in voting is
   * first cancelled in etcd, as its decision (first writer wins, later votes refused there): a vote
   * already decided there, though not yet applied, is refused with 409 too, so the state a
   * payment's vote ends in is the decision in etcd whoever ends it.
   */
  @Transactional
  public TransactionRecord cancel(UUID id, String actor) {
    for (int attempt = 0; attempt < 5; attempt++) {
      TransactionRecord tx = transactions.find(id).orElseThrow(() -> notFound(id));
      if (!tx.state().isCancellable()) {
        throw new ApiException(
            ProblemType.INVALID_STATE,
            "Transaction "
                + id
                + " is "
                + tx.state().wireName()
                + "; only pending or voting"
                + " transactions can be cancelled.");
      }
      if (tx.state() == TransactionState.VOTING) {
        voteCancellation.cancel(id);
      }
      if (transitions.apply(
          tx, TransactionState.CANCELLED, "cancelled by client", actor, Optional.empty())) {
        return transactions.find(id).orElseThrow();
      }
    }
    throw new ApiException(ProblemType.CONFLICT, "Transaction " + id + " keeps changing; retry.");
  }

  static ApiException notFound(UUID id) {
    return new ApiException(ProblemType.NOT_FOUND, "No transaction " + id + ".");
  }

  private Wallet walletFor(CreateTransactionRequest request) {
    if (request.walletId() == null) {
      return wallets
          .findDefault()
          .orElseThrow(
              () -> new ApiException(ProblemType.UNAVAILABLE, "No default wallet exists yet."));
    }
    return wallets
        .find(request.walletId())
        .orElseThrow(() -> ApiException.invalid("wallet_id", "no wallet has this id"));
  }

  /**
   * The payment accepted under this key, or 409 when the key came with another body. No lock: a key
   * is only ever inserted with its payment ({@link TransactionRepository#insertPendingUnderKey}),
   * which waits for a concurrent insert of the same key to end, so a key this finds is committed
   * and one it misses was never stored.
   */
  private Optional<TransactionRecord> replay(String key, byte[] fingerprint) {
    return jdbc.sql("SELECT request_sha256, tx_id FROM idempotency_keys WHERE idempotency_key = ?")
        .param(key)
        .query(
            (rs, n) -> {
              if (!MessageDigest.isEqual(rs.getBytes("request_sha256"), fingerprint)) {
                throw new ApiException(
                    ProblemType.IDEMPOTENCY_CONFLICT,
                    "Idempotency-Key was already used with a different request body.");
              }
              return rs.getObject("tx_id", UUID.class);
            })
        .optional()
        .map(txId -> transactions.find(txId).orElseThrow());
  }

  private static void checkIdempotencyKey(String key) {
    if (!isWellFormedIdempotencyKey(key)) {
      throw ApiException.invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters");
    }
  }

  static boolean isWellFormedIdempotencyKey(String key) {
    return !key.isEmpty()
        && key.length() <= MAX_IDEMPOTENCY_KEY_LENGTH
        && key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
  }

  /** Whether a payment was already accepted under this key (its replay is answered when busy). */
  boolean isKnownIdempotencyKey(String key) {
    return jdbc.sql("SELECT EXISTS (SELECT 1 FROM idempotency_keys WHERE idempotency_key = ?)")
        .param(key)
        .query(Boolean.class)
        .single();
  }

  private String write(CreateTransactionRequest request) {
    try {
      return json.writeValueAsString(request.metadata());
    } catch (JsonProcessingException e) {
      throw ApiException.invalid("metadata", "cannot be stored as JSON");
    }
  }
}
