package io.mpcw.orchestrator.chain;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.chain.BitcoindRpcClient;
import io.mpcw.chain.ChainClient;
import io.mpcw.chain.ChainClientConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The chain client: bitcoind's JSON-RPC (the simulator speaks the same), with call metrics. */
@Configuration(proxyBeanMethods = false)
class ChainConfiguration {

  @Bean
  ChainClient chainClient(ChainProperties chain, MeterRegistry meters) {
    ChainClientConfig config =
        new ChainClientConfig(
            URI.create(chain.rpcUrl()),
            chain.rpcUser(),
            chain.rpcPassword(),
            Duration.ofSeconds(2),
            chain.requestTimeout(),
            Optional.empty());
    return new MeteredChainClient(BitcoindRpcClient.create(config), meters);
  }
}
