/**
 * The DKG and FROST signing protocol between the orchestrator and the nodes.
 *
 * <ul>
 *   <li>{@code dkg}: the {@code dkg.part1/2/3.v1} messages, {@link
 *       io.mpcw.protocol.dkg.DkgParticipant} (a node's side of the DKG), round-2 shares sealed to
 *       their recipient ({@link io.mpcw.protocol.dkg.SealedShare}) and the signed echo of the
 *       round-1 set ({@link io.mpcw.protocol.dkg.DkgTranscript}).
 *   <li>{@code signing}: the {@code sign.commit.v1}/{@code sign.share.v1} messages and {@link
 *       io.mpcw.protocol.signing.SigningParticipant}, which before releasing a share checks the
 *       quorum in etcd ({@link io.mpcw.protocol.signing.ApprovalQuorum}), the transaction itself
 *       ({@link io.mpcw.protocol.signing.PaymentCheck}) and binds the payment to one transaction
 *       (the node's own durable {@link io.mpcw.protocol.signing.SigningRecord}, then the lock of
 *       {@link io.mpcw.protocol.signing.EtcdSigningLock}); shares are recorded in etcd signed by
 *       their node ({@link io.mpcw.protocol.signing.ShareRecord}); in etcd all of it is one read
 *       and one write ({@link io.mpcw.protocol.signing.EtcdRoundTwo}); nonces live in memory for
 *       one session and are used once.
 *   <li>{@code share}: what a node keeps of a wallet and where ({@link
 *       io.mpcw.protocol.share.ShareStore}).
 *   <li>{@code lifecycle}: a node's side of the key operations approved by vote: refresh (new
 *       shares of the same key from shares of zero, {@link
 *       io.mpcw.protocol.lifecycle.RefreshParticipant}) and repair of a lost share with the help of
 *       t others ({@link io.mpcw.protocol.lifecycle.RepairParticipant}).
 * </ul>
 *
 * <p>Messages are strict snake_case JSON ({@link io.mpcw.protocol.ProtocolMessages}); refusals
 * carry a code from {@link io.mpcw.protocol.ProtocolErrors}.
 */
package io.mpcw.protocol;
