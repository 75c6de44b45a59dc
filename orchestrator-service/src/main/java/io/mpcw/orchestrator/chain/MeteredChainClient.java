package io.mpcw.orchestrator.chain;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.chain.ChainClient;
import io.mpcw.chain.ChainRejectedException;
import io.mpcw.chain.ChainTip;
import io.mpcw.chain.ChainUnavailableException;
import io.mpcw.chain.TxStatus;
import io.mpcw.chain.Utxo;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Counts every chain call as {@code orchestration_chain_requests_total{method,outcome}}. */
final class MeteredChainClient implements ChainClient {
  private final ChainClient delegate;
  private final MeterRegistry meters;

  MeteredChainClient(ChainClient delegate, MeterRegistry meters) {
    this.delegate = delegate;
    this.meters = meters;
  }

  @Override
  public long blockHeight() {
    return call("getblockcount", delegate::blockHeight);
  }

  @Override
  public ChainTip tip() {
    return call("getblockchaininfo", delegate::tip);
  }

  @Override
  public List<Utxo> unspent(String address) {
    return call("scantxoutset", () -> delegate.unspent(address));
  }

  @Override
  public io.mpcw.chain.ChainBlock block(long height) {
    return call("getblock", () -> delegate.block(height));
  }

  @Override
  public String broadcast(String rawTransactionHex) {
    return call("sendrawtransaction", () -> delegate.broadcast(rawTransactionHex));
  }

  @Override
  public Optional<TxStatus> transaction(String txid) {
    return call("getrawtransaction", () -> delegate.transaction(txid));
  }

  @Override
  public String sendToAddress(String address, long sats) {
    return call("sendtoaddress", () -> delegate.sendToAddress(address, sats));
  }

  @Override
  public List<String> mine(int blocks, String address) {
    return call("generatetoaddress", () -> delegate.mine(blocks, address));
  }

  private <T> T call(String method, Supplier<T> body) {
    String outcome = "ok";
    try {
      return body.get();
    } catch (ChainRejectedException e) {
      outcome = "rejected";
      throw e;
    } catch (ChainUnavailableException e) {
      outcome = "unavailable";
      throw e;
    } finally {
      meters
          .counter("orchestration_chain_requests_total", "method", method, "outcome", outcome)
          .increment();
    }
  }
}
