package io.mpcw.protocol.signing;

import java.util.UUID;

/**
 * Where a node records its round-2 shares before they leave it, so that every FROST session ends
 * one way only: complete (every signer's shares recorded) or aborted, never both. A coordinator
 * that dies after the shares were released leaves them readable for the one that takes over, which
 * then finishes that session instead of signing the payment a second time with other nonces.
 */
public interface ShareRecorder {
  /**
   * Records {@code shares} (this node's, for {@code shares.sessionId()}) unless the session was
   * aborted or this node's shares for it are recorded already. {@code epoch} is the key epoch the
   * shares were made with.
   *
   * @throws io.mpcw.protocol.ProtocolException {@code SESSION_ABORTED}, {@code
   *     SHARE_ALREADY_RECORDED} or {@code ETCD_UNAVAILABLE}; the shares must then not be released
   */
  void record(UUID txId, long epoch, SignShareResponse shares);
}
