package io.mpcw.orchestrator.wallet;

import io.mpcw.orchestrator.config.ClusterProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Makes sure a default wallet exists, so a payment without {@code wallet_id} has a home. */
@Component
class DefaultWalletInitializer implements ApplicationRunner {
  private static final Logger log = LoggerFactory.getLogger(DefaultWalletInitializer.class);
  private final Wallets wallets;
  private final WalletProperties properties;
  private final ClusterProperties cluster;

  DefaultWalletInitializer(
      Wallets wallets, WalletProperties properties, ClusterProperties cluster) {
    this.wallets = wallets;
    this.properties = properties;
    this.cluster = cluster;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (properties.defaultParticipants(cluster.totalNodes()) < properties.defaultThreshold()) {
      throw new IllegalStateException(
          "the default wallet needs at least mpcw.wallet.default-threshold participants");
    }
    Wallet wallet =
        wallets.ensureDefault(
            properties.defaultName(), properties.defaultThreshold(), cluster.network());
    log.info("default wallet {} ({}, {})", wallet.id(), wallet.name(), wallet.network());
  }
}
