package io.mpcw.protocol.signing;

import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.frost.SigningNonces;
import io.mpcw.crypto.frost.SigningPackage;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.share.WalletShare;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of round 2, once every check passed: one FROST signature share per input, over the
 * sighash this node computed, with the nonces of that input. A Byzantine mode makes the shares
 * wrong but well-formed, for tests and fault injection.
 */
final class InputSigner {
  private final Frost frost;
  private volatile boolean corrupt;

  InputSigner(Frost frost) {
    this.frost = frost;
  }

  void setCorrupt(boolean corrupt) {
    this.corrupt = corrupt;
  }

  /** The shares, hex, in input order. */
  List<String> sign(
      List<byte[]> messages,
      List<List<SigningCommitments>> commitments,
      List<SigningNonces> nonces,
      WalletShare share) {
    List<String> shares = new ArrayList<>();
    for (int i = 0; i < commitments.size(); i++) {
      SigningPackage pkg = signingPackage(messages.get(i), commitments, i);
      shares.add(Hex.encode(signInput(pkg, nonces.get(i), share).encode()));
    }
    return shares;
  }

  private SignatureShare signInput(SigningPackage pkg, SigningNonces nonces, WalletShare share) {
    SignatureShare s;
    try {
      s = frost.sign(pkg, nonces, share.keyPackage());
    } catch (FrostException e) {
      throw SigningParticipant.badPackage(e.getMessage());
    }
    if (corrupt) {
      // Well-formed but wrong: what a Byzantine signer would send; the coordinator must catch it.
      return new SignatureShare(s.identifier(), s.share().add(Scalar.of(1)));
    }
    return s;
  }

  private static SigningPackage signingPackage(
      byte[] message, List<List<SigningCommitments>> commitments, int input) {
    try {
      return new SigningPackage(message, commitments.get(input));
    } catch (IllegalArgumentException e) {
      throw SigningParticipant.badPackage("input " + input + ": " + e.getMessage());
    }
  }
}
