package io.mpcw.protocol.signing;

import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.frost.SigningNonces;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.share.ShareStore;
import io.mpcw.protocol.share.WalletShare;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's side of FROST signing. Round 1 makes fresh nonces kept only in memory under the
 * session id; round 2 takes the session out before anything else, so each nonce is used at most
 * once whatever happens, then checks — on its own, trusting no coordinator — the signing package,
 * the quorum's approval in etcd, the transaction against the approved payment, and the one-payment
 * one-transaction binding (its own durable {@link SigningRecord} first, then the lock in etcd that
 * the nodes share), and only then signs every input's BIP-341 sighash it computed itself. The
 * shares leave the node only after they are recorded for the session, together with the lock, which
 * is refused once a coordinator aborted the session or another transaction was locked: a session
 * either completes or is aborted ({@link RoundTwoRecords}; in etcd {@link EtcdRoundTwo}, one read
 * and one write).
 *
 * <p>Round 1 can also be done ahead of time ({@link #precommit}): commitments under one-time ids,
 * their nonces in memory only, which a later {@link #sharePooled} names and uses once; that round 2
 * returns fresh commitments with its shares, so a coordinator needs one round trip per session.
 */
public final class SigningParticipant {
  private static final Logger LOG = LoggerFactory.getLogger(SigningParticipant.class);

  /** Bounds the memory round 1 can be made to hold (500 inputs × 200 sessions). */
  static final int MAX_LIVE_NONCES = 100_000;

  /** Pre-shared commitments kept per wallet unless configured otherwise. */
  public static final int DEFAULT_POOLED_PER_WALLET = 64;

  private final String nodeId;
  private final ShareStore store;
  private final RoundTwoRecords records;
  private final SigningRecord signed;
  private final PaymentTransaction payments;
  private final SecureRandom random;
  private final Frost frost = Frost.taproot();
  private final RoundOneSessions sessions;
  private final PooledNonces pooled;
  private final InputSigner signer = new InputSigner(frost);

  public SigningParticipant(
      String nodeId,
      ShareStore store,
      ApprovalCheck approvals,
      SigningLock lock,
      SigningRecord signed,
      ShareRecorder recorder,
      SpendLimits limits,
      Network network,
      SecureRandom random,
      Clock clock,
      Duration sessionTtl) {
    this(
        nodeId,
        store,
        approvals,
        lock,
        signed,
        recorder,
        limits,
        network,
        random,
        clock,
        sessionTtl,
        sessionTtl,
        DEFAULT_POOLED_PER_WALLET);
  }

  /**
   * With the single checks one after the other ({@link RoundTwoRecords#separate}).
   *
   * @param sessionTtl how long a session's round-1 nonces wait in memory for round 2
   * @param commitmentTtl how long a pre-shared commitment's nonces wait in memory
   * @param pooledPerWallet pre-shared commitments kept per wallet; beyond it the oldest is evicted
   */
  public SigningParticipant(
      String nodeId,
      ShareStore store,
      ApprovalCheck approvals,
      SigningLock lock,
      SigningRecord signed,
      ShareRecorder recorder,
      SpendLimits limits,
      Network network,
      SecureRandom random,
      Clock clock,
      Duration sessionTtl,
      Duration commitmentTtl,
      int pooledPerWallet) {
    this(
        nodeId,
        store,
        RoundTwoRecords.separate(approvals, lock, recorder),
        signed,
        limits,
        network,
        random,
        clock,
        sessionTtl,
        commitmentTtl,
        pooledPerWallet);
  }

  /**
   * @param records the approval, the lock and the share record of round 2 ({@link EtcdRoundTwo}:
   *     one read and one write)
   * @param sessionTtl how long a session's round-1 nonces wait in memory for round 2
   * @param commitmentTtl how long a pre-shared commitment's nonces wait in memory
   * @param pooledPerWallet pre-shared commitments kept per wallet; beyond it the oldest is evicted
   */
  public SigningParticipant(
      String nodeId,
      ShareStore store,
      RoundTwoRecords records,
      SigningRecord signed,
      SpendLimits limits,
      Network network,
      SecureRandom random,
      Clock clock,
      Duration sessionTtl,
      Duration commitmentTtl,
      int pooledPerWallet) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.store = Objects.requireNonNull(store, "store");
    this.records = Objects.requireNonNull(records, "records");
    this.signed = Objects.requireNonNull(signed, "signed");
    this.payments = new PaymentTransaction(network, limits);
    this.random = Objects.requireNonNull(random, "random");
    this.sessions = new RoundOneSessions(frost, random, clock, sessionTtl);
    this.pooled =
        new PooledNonces(frost, random, new CommitmentPool(pooledPerWallet, commitmentTtl, clock));
  }

  /**
   * Commitments ahead of time: {@code count} fresh nonce pairs for the wallet's current epoch, kept
   * in memory only under one-time ids (the wallet's oldest evicted beyond the bound).
   */
  public SignPrecommitResponse precommit(SignPrecommitRequest request) {
    purgeExpired();
    WalletShare share = shareOf(request.walletId(), request.epoch());
    return new SignPrecommitResponse(
        nodeId, share.identifier(), request.epoch(), pooled.fresh(share, request.count()));
  }

  /**
   * Round 2 with pre-shared commitments: takes this node's named commitments out of memory before
   * anything else (single use whatever happens; one unknown, used, evicted or expired id refuses
   * the whole request as {@code UNKNOWN_SESSION}), checks and signs exactly as {@link #share}, and
   * returns with the shares as many fresh commitments as it used.
   */
  public SignPooledShareResponse sharePooled(SignPooledShareRequest request) {
    try (PooledNonces.Taken taken = pooled.take(nodeId, request)) {
      SignShareResponse shares = sign(request.asShareRequest(), taken.nonces(), request.epoch());
      return new SignPooledShareResponse(
          shares.sessionId(),
          nodeId,
          shares.shares(),
          refill(request.walletId(), taken.nonces().size()));
    }
  }

  /** Replacements for the commitments a session used; none if they cannot be made now. */
  private List<PooledCommitment> refill(UUID walletId, int count) {
    try {
      return pooled.fresh(shareOf(walletId), count);
    } catch (RuntimeException e) {
      // the shares are recorded already and must go out; the coordinator asks again later
      LOG.warn("no fresh commitments after signing for wallet {}: {}", walletId, e.toString());
      return List.of();
    }
  }

  /** Round 1: fresh nonces for every input, remembered under the (new) session id. */
  public SignCommitResponse commit(SignCommitRequest request) {
    purgeExpired();
    WalletShare share = shareOf(request.walletId(), request.epoch());
    List<String> commitments = sessions.open(request, share);
    LOG.info(
        "signing session {} for tx {}: {} nonce pairs",
        request.sessionId(),
        request.txId(),
        request.inputs());
    return new SignCommitResponse(request.sessionId(), nodeId, share.identifier(), commitments);
  }

  /**
   * Round 2: checks everything, then one signature share per input, recorded before the reply. The
   * session's nonces are erased whatever the outcome, a refusal included.
   */
  public SignShareResponse share(SignShareRequest request) {
    purgeExpired();
    SigningSession session =
        sessions
            .take(request.sessionId())
            .orElseThrow(
                () ->
                    new ProtocolException(
                        ProtocolErrors.UNKNOWN_SESSION,
                        "no signing session "
                            + request.sessionId()
                            + " on "
                            + nodeId
                            + " (unknown, used, expired, or the node restarted)"));
    try {
      if (!session.txId().equals(request.txId())
          || !session.walletId().equals(request.walletId())) {
        throw badPackage("session " + request.sessionId() + " was opened for another payment");
      }
      if (request.epoch() != session.epoch()) {
        throw wrongEpoch(
            request.epoch(), "round 1 of this session was in epoch " + session.epoch());
      }
      return sign(request, session.nonces(), session.epoch());
    } finally {
      sessions.discard(session);
    }
  }

  /**
   * Several sessions' round 2 with pre-shared commitments, each checked and signed exactly as by
   * {@link #sharePooled} (its nonces taken out of memory first, single use whatever happens), but
   * the approvals and locks of all of them read in one go, the transactions of all that passed
   * their checks written to the node's record in one go before any share is computed ({@link
   * SigningRecord#recordAll}), and their shares recorded in one go ({@link
   * RoundTwoRecords#readAll}, {@link RoundTwoRecords#recordAll}: one etcd transaction each). A
   * session refused does not stop the others; a failed read or write refuses all that reached it.
   * Only shares whose record succeeded are in the answers.
   *
   * @return one outcome per session, in the order asked
   */
  public List<Outcome> sharePooledAll(SignPooledShareBatchRequest batch) {
    List<SignPooledShareRequest> requests = batch.sessions();
    int count = requests.size();
    RuntimeException[] refused = new RuntimeException[count];
    PooledNonces.Taken[] taken = new PooledNonces.Taken[count];
    try {
      Prepared[] prepared = new Prepared[count];
      for (int i = 0; i < count; i++) {
        SignPooledShareRequest request = requests.get(i);
        try {
          taken[i] = pooled.take(nodeId, request);
          prepared[i] = prepare(request.asShareRequest(), taken[i].nonces(), request.epoch());
        } catch (RuntimeException e) {
          refused[i] = e;
        }
      }
      List<Integer> reading = indices(count, i -> refused[i] == null);
      List<RoundTwoRecords.Read> reads = List.of();
      if (!reading.isEmpty()) {
        try {
          reads =
              records.readAll(
                  nodeId,
                  reading.stream()
                      .map(
                          i ->
                              new RoundTwoRecords.Reading(
                                  prepared[i].request().txId(), prepared[i].share().participants()))
                      .toList());
        } catch (RuntimeException e) {
          reading.forEach(i -> refused[i] = e);
        }
      }
      Checked[] checked = new Checked[count];
      RoundTwoRecords.Read[] readOf = new RoundTwoRecords.Read[count];
      Map<UUID, SignedTransaction> journaling = new LinkedHashMap<>();
      for (int k = 0; k < reads.size(); k++) {
        int i = reading.get(k);
        readOf[i] = reads.get(k);
        try {
          checked[i] = check(prepared[i], readOf[i]);
          journaling.put(prepared[i].request().txId(), checked[i].signing());
        } catch (RuntimeException e) {
          refused[i] = e;
        }
      }
      journal(journaling, checked, refused);
      SignShareResponse[] shares = new SignShareResponse[count];
      List<Integer> recording = new ArrayList<>();
      List<RoundTwoRecords.Recording> recordings = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        if (checked[i] == null || refused[i] != null) {
          continue;
        }
        try {
          shares[i] = sign(checked[i]);
          recording.add(i);
          recordings.add(new RoundTwoRecords.Recording(readOf[i], prepared[i].epoch(), shares[i]));
        } catch (RuntimeException e) {
          refused[i] = e;
        }
      }
      List<Optional<ProtocolException>> recorded =
          recordings.isEmpty() ? List.of() : records.recordAll(recordings);
      for (int k = 0; k < recording.size(); k++) {
        int i = recording.get(k);
        recorded.get(k).ifPresentOrElse(e -> refused[i] = e, () -> logSigned(prepared[i]));
      }
      List<Outcome> outcomes = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        SignPooledShareRequest request = requests.get(i);
        outcomes.add(
            refused[i] != null
                ? new Outcome(request.sessionId(), null, refused[i])
                : new Outcome(
                    request.sessionId(),
                    new SignPooledShareResponse(
                        request.sessionId(),
                        nodeId,
                        shares[i].shares(),
                        refill(request.walletId(), taken[i].nonces().size())),
                    null));
      }
      return outcomes;
    } finally {
      for (PooledNonces.Taken t : taken) {
        if (t != null) {
          t.close();
        }
      }
    }
  }

  /**
   * One session's outcome in a batch: its reply, or the exception a lone request would have been
   * answered with ({@link ProtocolException} for a refusal).
   */
  public record Outcome(UUID sessionId, SignPooledShareResponse reply, RuntimeException refusal) {
    public Outcome {
      Objects.requireNonNull(sessionId, "sessionId");
      if ((reply == null) == (refusal == null)) {
        throw new IllegalArgumentException("an outcome is a reply or a refusal");
      }
    }
  }

  /**
   * The checked sessions' transactions into the node's record in one durable write, before any of
   * their shares exists; a session the record refuses (or all, when the write fails) is refused.
   */
  private void journal(
      Map<UUID, SignedTransaction> journaling, Checked[] checked, RuntimeException[] refused) {
    if (journaling.isEmpty()) {
      return;
    }
    Map<UUID, ProtocolException> conflicts;
    RuntimeException unwritten = null;
    try {
      conflicts = signed.recordAll(journaling);
    } catch (RuntimeException e) {
      conflicts = Map.of();
      unwritten = e;
    }
    for (int i = 0; i < checked.length; i++) {
      if (checked[i] != null && refused[i] == null) {
        refused[i] =
            unwritten != null ? unwritten : conflicts.get(checked[i].prepared().request().txId());
      }
    }
  }

  private static List<Integer> indices(int count, IntPredicate which) {
    return IntStream.range(0, count).filter(which).boxed().toList();
  }

  /** The checks and signing both rounds 2 share, with the nonces already taken out of memory. */
  private SignShareResponse sign(SignShareRequest request, List<SigningNonces> nonces, long epoch) {
    Prepared prepared = prepare(request, nonces, epoch);
    // one read for the approval and the lock (EtcdRoundTwo: one etcd transaction of gets)
    RoundTwoRecords.Read read =
        records.read(request.txId(), nodeId, prepared.share().participants());
    SignShareResponse response = signChecked(prepared, read);
    // Recorded (with the lock, if this node's is not written yet) before it is released: a
    // coordinator taking over after a crash finishes this session from the record instead of
    // signing again with other nonces; refused once aborted. Shares whose record is refused never
    // leave the node, and their nonces are gone already.
    read.record(epoch, response);
    logSigned(prepared);
    return response;
  }

  /** A session whose nonces are taken and whose commitments match them, ready for its read. */
  private record Prepared(
      SignShareRequest request,
      List<SigningNonces> nonces,
      long epoch,
      WalletShare share,
      List<List<SigningCommitments>> commitments) {}

  private Prepared prepare(SignShareRequest request, List<SigningNonces> nonces, long epoch) {
    // the epoch may have been committed since round 1: the old share is erased, refuse
    WalletShare share = shareOf(request.walletId(), epoch);
    return new Prepared(
        request,
        nonces,
        epoch,
        share,
        SignerCommitments.perInput(share, request.commitments(), nonces));
  }

  /**
   * The checks on what was read, the node's journal, then the shares in memory: they may leave the
   * node only once recorded ({@link RoundTwoRecords.Read#record}).
   */
  private SignShareResponse signChecked(Prepared prepared, RoundTwoRecords.Read read) {
    Checked checked = check(prepared, read);
    // durable before any share exists, so a restart cannot forget what was released
    signed.record(prepared.request().txId(), checked.signing());
    return sign(checked);
  }

  /** A session that passed every check, its transaction claimed: it signs once journaled. */
  private record Checked(Prepared prepared, SignedTransaction signing, List<byte[]> messages) {}

  /** Every check of round 2 on what was read, and the claim of the signing lock; signs nothing. */
  private Checked check(Prepared prepared, RoundTwoRecords.Read read) {
    SignShareRequest request = prepared.request();
    read.requireApproved(request.walletId(), request.recipient(), request.amountSats());
    PaymentTransaction.Checked checked =
        payments.check(request, prepared.share(), prepared.nonces().size());
    String txid = checked.txid();
    List<byte[]> messages = checked.messages();
    SignedTransaction signing =
        new SignedTransaction(txid, messages.stream().map(Hex::encode).toList());
    // this node's own memory first: etcd's lock can be deleted by anyone who can write etcd
    signed.requireNoOther(request.txId(), signing);
    read.claim(txid, request.commitments().keySet());
    return new Checked(prepared, signing, messages);
  }

  /** The shares of a checked session whose transaction is in the node's record. */
  private SignShareResponse sign(Checked checked) {
    Prepared prepared = checked.prepared();
    List<String> shares =
        signer.sign(
            checked.messages(), prepared.commitments(), prepared.nonces(), prepared.share());
    return new SignShareResponse(prepared.request().sessionId(), nodeId, shares);
  }

  private static void logSigned(Prepared prepared) {
    LOG.info(
        "signed tx {} in session {}", prepared.request().txId(), prepared.request().sessionId());
  }

  private WalletShare shareOf(UUID walletId) {
    return store
        .find(walletId)
        .orElseThrow(
            () ->
                new ProtocolException(
                    ProtocolErrors.NOT_A_PARTICIPANT,
                    nodeId + " holds no share of wallet " + walletId));
  }

  /** The wallet's current share, only if it is of {@code epoch}: no old or staged epoch signs. */
  private WalletShare shareOf(UUID walletId, long epoch) {
    WalletShare share = shareOf(walletId);
    if (share.epoch() != epoch) {
      throw wrongEpoch(epoch, nodeId + " holds epoch " + share.epoch() + " of wallet " + walletId);
    }
    return share;
  }

  static ProtocolException wrongEpoch(long asked, String why) {
    return new ProtocolException(
        ProtocolErrors.WRONG_EPOCH, "cannot sign in key epoch " + asked + ": " + why);
  }

  /** Fault injection (tests, Byzantine mode): wrong but well-formed shares from now on. */
  public void setShareCorruption(boolean corrupt) {
    signer.setCorrupt(corrupt);
  }

  /** Pre-shared commitments (nonce pairs) this node holds now. */
  public int pendingCommitments() {
    return pooled.size();
  }

  public int liveSessions() {
    purgeExpired();
    return sessions.live();
  }

  private void purgeExpired() {
    sessions.purgeExpired();
    pooled.purgeExpired();
  }

  static ProtocolException badPackage(String why) {
    return new ProtocolException(ProtocolErrors.BAD_SIGNING_PACKAGE, why);
  }
}
