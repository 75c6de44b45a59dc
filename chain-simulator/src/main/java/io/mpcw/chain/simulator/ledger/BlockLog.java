package io.mpcw.chain.simulator.ledger;

/**
 * Where the ledger records its blocks durably. The ledger calls it before it changes its own state,
 * so a block that is visible over RPC is also on disk.
 */
public interface BlockLog {
  /** Memory only: a restarted simulator starts from the genesis block again. */
  BlockLog NONE =
      new BlockLog() {
        @Override
        public void append(Block block) {}

        @Override
        public void truncate(long fromHeight) {}
      };

  /** Records {@code block}, the new tip, durably. */
  void append(Block block);

  /** Forgets the blocks at {@code fromHeight} and above (after {@code invalidateblock}). */
  void truncate(long fromHeight);
}
