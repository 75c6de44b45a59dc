package io.mpcw.chain;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TransactionFormatException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ChainClient} over bitcoind's JSON-RPC; the chain simulator serves the same subset.
 *
 * <p>Against a real bitcoind, {@link #transaction} finds confirmed transactions only with {@code
 * -txindex=1} (without it bitcoind answers -5 for them, read here as "unknown"), and {@link
 * #sendToAddress} needs a loaded, funded wallet. Thread-safe.
 */
public final class BitcoindRpcClient implements ChainClient {
  /** RPC_VERIFY_ALREADY_IN_CHAIN: the node already has the transaction (mempool or block). */
  static final int ALREADY_KNOWN = -27;

  /** RPC_INVALID_ADDRESS_OR_KEY: for getrawtransaction, the node does not know the txid. */
  static final int NOT_FOUND = -5;

  /** RPC_IN_WARMUP: the node is still loading; the request may succeed later. */
  static final int IN_WARMUP = -28;

  private final JsonRpcHttp rpc;
  private final String walletPath;

  private BitcoindRpcClient(ChainClientConfig config) {
    this.rpc = new JsonRpcHttp(config);
    this.walletPath =
        config
            .wallet()
            .map(name -> "/wallet/" + URLEncoder.encode(name, StandardCharsets.UTF_8))
            .orElse("");
  }

  public static BitcoindRpcClient create(ChainClientConfig config) {
    return new BitcoindRpcClient(config);
  }

  /** A client with the default timeouts, e.g. {@code create("http://127.0.0.1:18443", u, p)}. */
  public static BitcoindRpcClient create(String url, String user, String password) {
    return create(ChainClientConfig.of(url, user, password));
  }

  @Override
  public long blockHeight() {
    JsonNode result = call("", "getblockcount");
    requireThat(result.canConvertToLong(), "getblockcount", result);
    return result.asLong();
  }

  @Override
  public ChainTip tip() {
    JsonNode result = call("", "getblockchaininfo");
    requireThat(
        result.path("blocks").canConvertToLong() && result.path("bestblockhash").isTextual(),
        "getblockchaininfo",
        result);
    return new ChainTip(result.path("blocks").asLong(), result.path("bestblockhash").asText());
  }

  @Override
  public List<Utxo> unspent(String address) {
    JsonNode result = call("", "scantxoutset", "start", List.of("addr(" + address + ")"));
    JsonNode unspents = result.path("unspents");
    requireThat(unspents.isArray(), "scantxoutset", result);
    List<Utxo> utxos = new ArrayList<>(unspents.size());
    for (JsonNode u : unspents) {
      utxos.add(
          new Utxo(
              text(u, "txid", "scantxoutset"),
              u.path("vout").asInt(),
              sats(u.path("amount"), "scantxoutset"),
              text(u, "scriptPubKey", "scantxoutset"),
              u.path("height").asLong()));
    }
    return List.copyOf(utxos);
  }

  @Override
  public String broadcast(String rawTransactionHex) {
    try {
      JsonNode result = rpc.call("", "sendrawtransaction", rawTransactionHex);
      requireThat(result.isTextual(), "sendrawtransaction", result);
      return result.asText();
    } catch (JsonRpcException e) {
      if (e.code() == ALREADY_KNOWN) {
        return localTxid(rawTransactionHex);
      }
      throw mapped(e);
    }
  }

  @Override
  public Optional<TxStatus> transaction(String txid) {
    JsonNode result;
    try {
      result = rpc.call("", "getrawtransaction", txid, true);
    } catch (JsonRpcException e) {
      if (e.code() == NOT_FOUND) {
        return Optional.empty();
      }
      throw mapped(e);
    }
    // bitcoind omits confirmations (and blockhash) while the transaction is in the mempool.
    long confirmations = result.path("confirmations").asLong(0);
    JsonNode blockHash = result.path("blockhash");
    return Optional.of(
        new TxStatus(
            text(result, "txid", "getrawtransaction"),
            text(result, "hex", "getrawtransaction"),
            Math.max(0, confirmations),
            blockHash.isTextual() ? Optional.of(blockHash.asText()) : Optional.empty()));
  }

  @Override
  public String sendToAddress(String address, long sats) {
    JsonNode result = call(walletPath, "sendtoaddress", address, BtcAmount.toBtc(sats));
    requireThat(result.isTextual(), "sendtoaddress", result);
    return result.asText();
  }

  @Override
  public List<String> mine(int blocks, String address) {
    JsonNode result = call("", "generatetoaddress", blocks, address);
    requireThat(result.isArray(), "generatetoaddress", result);
    List<String> hashes = new ArrayList<>(result.size());
    result.forEach(hash -> hashes.add(hash.asText()));
    return List.copyOf(hashes);
  }

  @Override
  public ChainBlock block(long height) {
    JsonNode hash = call("", "getblockhash", height);
    requireThat(hash.isTextual(), "getblockhash", hash);
    JsonNode block = call("", "getblock", hash.asText(), 2);
    requireThat(block.path("tx").isArray(), "getblock", block);
    List<ChainBlock.Tx> txs = new ArrayList<>(block.path("tx").size());
    for (JsonNode tx : block.path("tx")) {
      List<String> spends = new ArrayList<>();
      for (JsonNode in : tx.path("vin")) {
        if (in.hasNonNull("txid")) {
          spends.add(in.path("txid").asText() + ":" + in.path("vout").asInt());
        }
      }
      List<ChainBlock.Output> outputs = new ArrayList<>();
      for (JsonNode out : tx.path("vout")) {
        outputs.add(
            new ChainBlock.Output(
                out.path("n").asInt(),
                sats(out.path("value"), "getblock"),
                text(out.path("scriptPubKey"), "hex", "getblock")));
      }
      txs.add(new ChainBlock.Tx(text(tx, "txid", "getblock"), spends, outputs));
    }
    return new ChainBlock(
        height,
        hash.asText(),
        Optional.ofNullable(block.path("previousblockhash").textValue()),
        txs);
  }

  /**
   * The transactions of the block at {@code height}, decoded as {@code getblock <hash> 2} returns
   * them ({@code txid}, {@code vin}, {@code vout} with addresses): for tools that audit the chain.
   */
  public List<JsonNode> blockTransactions(long height) {
    JsonNode hash = call("", "getblockhash", height);
    JsonNode block = call("", "getblock", hash.asText(), 2);
    requireThat(block.path("tx").isArray(), "getblock", block);
    List<JsonNode> txs = new ArrayList<>(block.path("tx").size());
    block.path("tx").forEach(txs::add);
    return List.copyOf(txs);
  }

  private JsonNode call(String path, String method, Object... params) {
    try {
      return rpc.call(path, method, params);
    } catch (JsonRpcException e) {
      throw mapped(e);
    }
  }

  private static RuntimeException mapped(JsonRpcException e) {
    if (e.code() == IN_WARMUP) {
      return new ChainUnavailableException("chain is warming up: " + e.rpcMessage(), e);
    }
    return new ChainRejectedException(e.code(), e.rpcMessage());
  }

  /** The txid bitcoind would have returned, for a transaction it says it already has. */
  private static String localTxid(String rawTransactionHex) {
    try {
      return Transaction.parseHex(rawTransactionHex).txid().toDisplayHex();
    } catch (TransactionFormatException e) {
      throw new ChainRejectedException(-22, "TX decode failed: " + e.getMessage());
    }
  }

  private static long sats(JsonNode amount, String method) {
    requireThat(amount.isNumber(), method, amount);
    try {
      return BtcAmount.toSats(amount.decimalValue());
    } catch (IllegalArgumentException e) {
      throw new ChainUnavailableException(method + " answered an invalid amount: " + amount, e);
    }
  }

  private static String text(JsonNode node, String field, String method) {
    JsonNode value = node.path(field);
    requireThat(value.isTextual(), method, node);
    return value.asText();
  }

  private static void requireThat(boolean condition, String method, JsonNode answer) {
    if (!condition) {
      throw new ChainUnavailableException(method + " answered something unexpected: " + answer);
    }
  }
}
