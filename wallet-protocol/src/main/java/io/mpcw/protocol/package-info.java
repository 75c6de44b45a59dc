/**
 * DKG and signing protocol between the orchestrator and the nodes.
 *
 * <p>THE API CONTRACT ({{CONTRACT}} in briefs) — every engineer codes against this:
 *
 * <pre>
 * ## The shared contract (module `wallet-protocol`, package `io.mpcw.protocol`, pure Java, no Spring)
 *
 * Already written by the lead (read them; do not change their fields without telling the lead in your report):
 * - `ProtocolMessages.encode(obj)/decode(bytes, Class)` — strict snake_case JSON codec; `ProtocolErrors` (error codes: MALFORMED_REQUEST, UNSUPPORTED_TYPE, NOT_A_PARTICIPANT, UNKNOWN_DKG_SESSION, WALLET_EXISTS, DKG_CULPRIT, DKG_ECHO_MISMATCH, UNKNOWN_SESSION, NOT_APPROVED, PAYMENT_MISMATCH, FEE_TOO_HIGH, CONFLICTING_TRANSACTION, BAD_SIGNING_PACKAGE, ETCD_UNAVAILABLE, NODE_OVERLOADED; `retryable(code)`); `ProtocolException(code, detail)`.
 * - `dkg.DkgPart1Request(walletId, participants, threshold)` TYPE `dkg.part1.v1` (identifier of a node = 1-based position in participants; `identifierOf(nodeId)`), `DkgPart1Response(walletId, nodeId, identifier, round1Package hex)`, `DkgPart2Request(walletId, round1Packages: nodeId→hex, all participants incl. receiver)`, `DkgPart2Response(walletId, nodeId, echo hex, echoSignature base64, sealedShares: recipientNodeId→base64)`, `SignedEcho(echo, signature)`, `DkgPart3Request(walletId, echoes: nodeId→SignedEcho (all participants), sealedShares: senderNodeId→base64 addressed to the receiver)`, `DkgPart3Response(walletId, nodeId, publicKeyPackage hex, groupPublicKey hex compressed untweaked P, outputKey hex x-only Q)`. Reply envelope types are the `*.reply.v1` TYPE constants.
 * - `signing.SignCommitRequest(sessionId, txId, walletId, inputs)` TYPE `sign.commit.v1`, `SignCommitResponse(sessionId, nodeId, identifier, commitments: per input hex of SigningCommitments.encode())`, `Prevout(valueSats, scriptPubKey hex)`, `SignShareRequest(sessionId, txId, walletId, recipient, amountSats, unsignedTx hex, prevouts, commitments: signerNodeId→per-input hex list)` TYPE `sign.share.v1`, `SignShareResponse(sessionId, nodeId, shares: per input hex of SignatureShare.encode())`.
 * - `share.WalletShare(walletId, nodeId, identifier, threshold, participants, KeyPackage, PublicKeyPackage, groupPublicKey bytes)`, `share.ShareStore { Optional<WalletShare> find(UUID); void save(WalletShare) /* never overwrites *&#47; }`, `share.MemoryShareStore`.
 * - `signing.ApprovalCheck { void requireApproved(UUID txId, UUID walletId, String recipient, long amountSats); }` (throws ProtocolException NOT_APPROVED / ETCD_UNAVAILABLE), `signing.SigningLock { void claim(UUID txId, String txid); }` (CONFLICTING_TRANSACTION / ETCD_UNAVAILABLE), `signing.SpendLimits(maxFeeSats)`.
 * - `common-types` `EtcdKeys.signingLock(txId)` = `{prefix}/signing/{tx_id}`.
 *
 * Being written now by the protocol engineer (exact public API; code against it; it appears in `wallet-protocol/src/main/java/io/mpcw/protocol/...` within ~20 minutes, complete within ~60):
 * ```java
 * // io.mpcw.protocol.dkg
 * public final class DkgTranscript {
 *   public static byte[] round1Hash(UUID walletId, List<String> participants, Map<String, byte[]> round1Packages); // SHA-256 over "mpcw/dkg-round1/v1" || walletId(16 bytes) || for each participant in order: u16 len||node id utf8||u32 len||package bytes
 *   public static byte[] echoSigningPayload(UUID walletId, String nodeId, byte[] echo);               // "mpcw/dkg-echo/v1" || walletId || u16 len || nodeId || echo
 * }
 * public final class SealedShare {  // ECDH P-256 (ephemeral key vs. recipient certificate key) + HKDF-SHA256 + AES-256-GCM; the sender signs the box with its identity key (IdentityKeys, SHA256withECDSA)
 *   public static String seal(IdentityCredentials sender, X509Certificate recipient, UUID walletId, String senderNode, String recipientNode, byte[] plaintext, SecureRandom random); // base64
 *   public static byte[] open(IdentityCredentials recipient, X509Certificate sender, UUID walletId, String senderNode, String recipientNode, String sealed); // throws ProtocolException(DKG_CULPRIT, "...sender...") on bad signature/tag
 * }
 * public final class DkgParticipant {  // one per node; thread-safe; DKG sessions (keyed by wallet id) in memory only, expire after sessionTtl
 *   public DkgParticipant(String nodeId, IdentityCredentials identity, Function<String, Optional<X509Certificate>> peerCertificates, ShareStore store, SecureRandom random, Clock clock, Duration sessionTtl);
 *   public DkgPart1Response part1(DkgPart1Request request);  // refuses NOT_A_PARTICIPANT, WALLET_EXISTS; a repeated part1 restarts the session
 *   public DkgPart2Response part2(DkgPart2Request request);  // UNKNOWN_DKG_SESSION; own package must be relayed unchanged; DKG_CULPRIT naming a peer whose proof fails
 *   public DkgPart3Response part3(DkgPart3Request request);  // verifies every echo signature (peer certificates) and equality → DKG_ECHO_MISMATCH; opens shares; part3 → DKG_CULPRIT; saves the WalletShare; session erased
 * }
 * // io.mpcw.protocol.signing
 * public final class PaymentCheck {  // pure: what the node checks about the transaction itself
 *   public static CheckedSpend check(Transaction unsigned, List<TxOut> prevouts, byte[] walletScript, byte[] recipientScript, long amountSats, SpendLimits limits); // throws ProtocolException PAYMENT_MISMATCH / FEE_TOO_HIGH
 *   public record CheckedSpend(long feeSats, long changeSats) {}
 * }
 * public final class SigningParticipant {  // nonces only in memory, per session, single use, expire after sessionTtl
 *   public SigningParticipant(String nodeId, ShareStore store, ApprovalCheck approvals, SigningLock lock, SpendLimits limits, Network network, SecureRandom random, Clock clock, Duration sessionTtl);
 *   public SignCommitResponse commit(SignCommitRequest request);   // NOT_A_PARTICIPANT when no share for the wallet; refuses a reused session id
 *   public SignShareResponse share(SignShareRequest request);      // removes the session FIRST (any outcome consumes the nonces); UNKNOWN_SESSION; checks tx/wallet match the session; ApprovalCheck; PaymentCheck (recipient decoded with `network`); recomputes every input's BIP-341 sighash itself (SIGHASH_DEFAULT) from unsignedTx + prevouts; all prevouts must pay the wallet's own script; SigningLock.claim(txId, txid); then Frost.taproot().sign per input
 *   public void setShareCorruption(boolean corrupt);               // fault injection for tests/Byzantine mode: returns a wrong (but well-formed) share
 *   public int liveSessions();
 * }
 * public final class EtcdApprovalCheck implements ApprovalCheck {  // EtcdVoteLedger.snapshot + VoteTally: counts approve records whose digest is VotePayload(txId, walletId, recipient, amount).digest(APPROVE) with a valid signature by a certificate of the cluster CA whose CN is that node
 *   public EtcdApprovalCheck(EtcdVoteLedger ledger, int minApprovals, Function<String, Optional<X509Certificate>> nodeCertificates, X509Certificate clusterCa);
 * }
 * public final class EtcdSigningLock implements SigningLock {    // one etcd txn: create {prefix}/signing/{tx} = txid if absent, else compare equal
 *   public EtcdSigningLock(io.etcd.jetcd.KV kv, EtcdKeys keys, Duration callTimeout);
 * }
 * ```
 * Signing details every side relies on: message signed for input i = `new TaprootSighash(unsignedTx, prevoutsAsTxOut).sigHash(i, SighashType.DEFAULT)`; one `SigningPackage(message_i, commitments of every chosen signer for input i)` per input; `Frost.taproot()`; the wallet's `PublicKeyPackage` verifying key is already the tweaked output key Q (never tweak again); the final witness is the 64-byte signature (`Transaction.withKeyPathSignatures`).
 * </pre>
 */
package io.mpcw.protocol;
