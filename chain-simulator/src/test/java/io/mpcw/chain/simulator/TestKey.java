package io.mpcw.chain.simulator;

import io.mpcw.chain.Utxo;
import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.taproot.TapTweak;
import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.util.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One single-key BIP-86 Taproot wallet, signing real key-path spends for the tests. */
final class TestKey {
  private final byte[] tweakedSecret;
  private final SegwitAddress address;

  TestKey(int seed) {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) seed);
    byte[] internal = Bip340.publicKey(secret);
    byte[] outputKey = TapTweak.outputKey(internal, new byte[0]).xOnly();
    tweakedSecret = TapTweak.tweakSecretKey(Scalar.decodeNonZero(secret), new byte[0]).encode();
    address = SegwitAddress.forTaprootOutputKey(Network.REGTEST, outputKey);
  }

  String address() {
    return address.toString();
  }

  byte[] scriptPubKey() {
    return address.scriptPubKey();
  }

  /** Spends {@code coins} paying {@code outputs}, signed with SIGHASH_DEFAULT. */
  Transaction spend(List<Utxo> coins, List<TxOut> outputs) {
    return spend(coins, outputs, SighashType.DEFAULT);
  }

  Transaction spend(List<Utxo> coins, List<TxOut> outputs, SighashType type) {
    Transaction.Builder builder = Transaction.builder();
    List<TxOut> spent = new ArrayList<>();
    for (Utxo coin : coins) {
      builder.addInput(OutPoint.of(coin.txid(), coin.vout()));
      spent.add(new TxOut(coin.valueSats(), Hex.decode(coin.scriptPubKeyHex())));
    }
    outputs.forEach(builder::addOutput);
    return sign(builder.build(), spent, type);
  }

  /** Signs every input of {@code unsigned}, whose input i spends {@code spent.get(i)}. */
  Transaction sign(Transaction unsigned, List<TxOut> spent, SighashType type) {
    TaprootSighash sighash = new TaprootSighash(unsigned, spent);
    List<byte[]> signatures = new ArrayList<>();
    for (int i = 0; i < unsigned.inputs().size(); i++) {
      byte[] sig = Bip340.sign(sighash.sigHash(i, type), tweakedSecret, new byte[32]);
      if (type != SighashType.DEFAULT) {
        sig = Arrays.copyOf(sig, 65);
        sig[64] = (byte) type.value();
      }
      signatures.add(sig);
    }
    return unsigned.withKeyPathSignatures(signatures);
  }

  /** An output of {@code sats} paying this key. */
  TxOut pay(long sats) {
    return new TxOut(sats, scriptPubKey());
  }

  /** A coin of an unconfirmed transaction, to build chained spends. */
  static Utxo coinOf(Transaction tx, int vout) {
    TxOut out = tx.outputs().get(vout);
    return new Utxo(
        tx.txid().toDisplayHex(), vout, out.valueSats(), Hex.encode(out.scriptPubKey()), 0);
  }
}
