package io.mpcw.orchestrator.wallet;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The wallet used when a payment names none.
 *
 * @param defaultName its name
 * @param defaultThreshold signers needed for it
 */
@ConfigurationProperties("mpcw.wallet")
public record WalletProperties(
    @DefaultValue("default") String defaultName, @DefaultValue("3") int defaultThreshold) {}
