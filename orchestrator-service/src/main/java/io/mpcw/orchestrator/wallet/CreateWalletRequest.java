package io.mpcw.orchestrator.wallet;

import java.util.List;

/**
 * Body of {@code POST /api/v1/wallets}.
 *
 * @param name unique, 1–64 characters of {@code [A-Za-z0-9._-]}
 * @param threshold signers needed; default 3
 * @param participants node ids holding a share, in identifier order; default every active node
 */
public record CreateWalletRequest(String name, Integer threshold, List<String> participants) {}
