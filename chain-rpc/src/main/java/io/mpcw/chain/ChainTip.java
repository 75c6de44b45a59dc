package io.mpcw.chain;

/**
 * The best block as one answer: its height and hash read together, so a block replaced at the same
 * height (the commonest reorganisation) is told apart from the one a follower recorded.
 */
public record ChainTip(long height, String hash) {}
