package io.mpcw.protocol.signing;

import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.frost.SigningNonces;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.share.WalletShare;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks the round-1 commitments a coordinator sends with round 2 and regroups them per input:
 * enough signers, each a participant of the wallet under its own identifier, one commitment per
 * input, and this node's exactly the ones it produced (else its nonces would sign another package).
 */
final class SignerCommitments {
  private SignerCommitments() {}

  /**
   * @return per input, the commitments of every chosen signer
   * @throws ProtocolException {@code BAD_SIGNING_PACKAGE} saying what is wrong
   */
  static List<List<SigningCommitments>> perInput(
      WalletShare share, Map<String, List<String>> commitments, List<SigningNonces> own) {
    if (commitments.size() < share.threshold()) {
      throw bad(commitments.size() + " signers chosen, the wallet needs " + share.threshold());
    }
    List<String> mine = commitments.get(share.nodeId());
    if (mine == null) {
      throw bad("this node (" + share.nodeId() + ") is not among the chosen signers");
    }
    int inputs = own.size();
    List<List<SigningCommitments>> perInput = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      perInput.add(new ArrayList<>());
    }
    for (Map.Entry<String, List<String>> e : new TreeMap<>(commitments).entrySet()) {
      String signer = e.getKey();
      int index = share.participants().indexOf(signer);
      if (index < 0) {
        throw bad(signer + " is not a participant of wallet " + share.walletId());
      }
      Identifier expected = Identifier.of(index + 1);
      if (e.getValue().size() != inputs) {
        throw bad(
            signer + " has " + e.getValue().size() + " commitments for " + inputs + " inputs");
      }
      for (int i = 0; i < inputs; i++) {
        SigningCommitments c = decode(signer, i, e.getValue().get(i));
        if (!c.identifier().equals(expected)) {
          throw bad(
              signer + "'s commitment for input " + i + " names identifier " + c.identifier());
        }
        perInput.get(i).add(c);
      }
    }
    for (int i = 0; i < inputs; i++) {
      SigningCommitments ours = own.get(i).commitments();
      if (!perInput.get(i).contains(ours)) {
        throw bad("the commitment for input " + i + " is not the one this node made");
      }
    }
    return perInput;
  }

  private static SigningCommitments decode(String signer, int input, String hex) {
    try {
      return SigningCommitments.decode(Hex.decode(hex));
    } catch (IllegalArgumentException e) {
      throw bad(signer + "'s commitment for input " + input + " is unreadable");
    }
  }

  private static ProtocolException bad(String why) {
    return new ProtocolException(ProtocolErrors.BAD_SIGNING_PACKAGE, why);
  }
}
