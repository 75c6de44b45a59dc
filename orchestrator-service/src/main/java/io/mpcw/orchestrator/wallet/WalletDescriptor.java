package io.mpcw.orchestrator.wallet;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mpcw.crypto.descriptor.TaprootDescriptor;
import io.mpcw.crypto.util.Hex;
import java.util.Arrays;

/**
 * A wallet's watch-only output descriptor: {@code tr(<x-only group key P>)#<checksum>}, whose
 * output key is the wallet's Q, so Bitcoin Core, Sparrow or any descriptor wallet sees the wallet's
 * coins without any key that can spend them.
 */
public record WalletDescriptor(
    String descriptor,
    String address,
    @JsonProperty("internal_key") String internalKey,
    @JsonProperty("output_key") String outputKey) {

  /**
   * @throws IllegalStateException when the descriptor's output key is not the wallet's (a group key
   *     that does not match its own address must not be handed to a watch-only wallet)
   */
  public static WalletDescriptor of(Wallet wallet) {
    byte[] compressed = wallet.groupPublicKey().orElseThrow();
    TaprootDescriptor descriptor =
        new TaprootDescriptor(Arrays.copyOfRange(compressed, 1, compressed.length));
    if (!Arrays.equals(descriptor.outputKey(), wallet.outputKey().orElseThrow())) {
      throw new IllegalStateException("wallet " + wallet.id() + ": descriptor output key differs");
    }
    return new WalletDescriptor(
        descriptor.toString(),
        descriptor.address(wallet.bitcoinNetwork()),
        Hex.encode(descriptor.internalKey()),
        Hex.encode(descriptor.outputKey()));
  }
}
