package io.mpcw.orchestrator.wallet;

import java.util.Optional;
import java.util.UUID;

/** A wallet; its keys exist once the DKG among its participants has run. */
public record Wallet(
    UUID id, String name, int threshold, String network, Optional<String> address) {}
