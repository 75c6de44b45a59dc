package io.mpcw.node.vote;

import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.votes.VoteRequest;
import java.util.Arrays;
import java.util.UUID;

/** Vote requests with addresses made at test time. */
public final class Payments {

  private Payments() {}

  /** A Taproot address of {@code network} whose program is {@code seed} repeated. */
  public static String address(Network network, int seed) {
    byte[] program = new byte[32];
    Arrays.fill(program, (byte) seed);
    return SegwitAddress.encode(network, SegwitAddress.TAPROOT_VERSION, program);
  }

  public static VoteRequest payment(long amountSats) {
    return payment(UUID.randomUUID(), address(Network.REGTEST, 7), amountSats);
  }

  public static VoteRequest payment(UUID walletId, String recipient, long amountSats) {
    return new VoteRequest(UUID.randomUUID(), walletId, recipient, amountSats, "test");
  }
}
