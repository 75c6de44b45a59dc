package io.mpcw.chain.simulator.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mpcw.chain.BtcAmount;
import io.mpcw.chain.simulator.ledger.Block;
import io.mpcw.chain.simulator.ledger.Coin;
import io.mpcw.chain.simulator.ledger.Ledger;
import io.mpcw.crypto.address.AddressFormatException;
import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.util.Hex;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** Chain state: heights, blocks, the UTXO scan, and {@code invalidateblock}. */
final class BlockchainMethods {
  private final Ledger ledger;

  BlockchainMethods(Ledger ledger) {
    this.ledger = ledger;
  }

  Map<String, RpcMethod> methods() {
    return Map.of(
        "getblockcount", p -> LongNode.valueOf(ledger.height()),
        "getbestblockhash", p -> TextNode.valueOf(ledger.tip().hash()),
        "getblockchaininfo", p -> blockchainInfo(),
        "getblockhash", this::blockHash,
        "getblock", this::block,
        "invalidateblock", this::invalidateBlock,
        "scantxoutset", this::scanTxOutSet);
  }

  private JsonNode blockchainInfo() {
    Block tip = ledger.tip();
    ObjectNode json = RpcJson.MAPPER.createObjectNode();
    json.put("chain", chainName(ledger.network()));
    json.put("blocks", tip.height());
    json.put("headers", tip.height());
    json.put("bestblockhash", tip.hash());
    json.put("time", tip.time());
    json.put("verificationprogress", 1);
    json.put("initialblockdownload", false);
    json.put("pruned", false);
    json.put("warnings", "");
    return json;
  }

  private JsonNode blockHash(Params params) {
    long height = params.requireCount(1, 1).integer(0);
    return ledger
        .blockAt(height)
        .map(block -> (JsonNode) TextNode.valueOf(block.hash()))
        .orElseThrow(
            () -> new RpcException(RpcException.INVALID_PARAMETER, "Block height out of range"));
  }

  private JsonNode block(Params params) {
    String hash = Hashes32.require("blockhash", params.requireCount(1, 2).string(0));
    int verbosity = params.optional(1).map(BlockchainMethods::verbosity).orElse(1);
    if (verbosity != 1 && verbosity != 2) {
      throw new RpcException(
          RpcException.INVALID_PARAMETER,
          "verbosity "
              + verbosity
              + " is not served: simulator blocks have no Bitcoin serialization (use 1 or 2)");
    }
    synchronized (ledger) {
      Block block = ledger.block(hash).orElseThrow(BlockchainMethods::blockNotFound);
      return TxJson.block(
          block,
          ledger.height(),
          ledger.blockAt(block.height() + 1),
          verbosity == 2,
          ledger.network());
    }
  }

  private JsonNode invalidateBlock(Params params) {
    String hash = Hashes32.require("blockhash", params.requireCount(1, 1).string(0));
    try {
      ledger.invalidate(hash);
    } catch (NoSuchElementException e) {
      throw blockNotFound();
    } catch (IllegalArgumentException e) {
      throw new RpcException(RpcException.INVALID_PARAMETER, e.getMessage());
    }
    return NullNode.getInstance();
  }

  /** {@code scantxoutset start [descriptors]}: confirmed outputs only, as bitcoind. */
  private JsonNode scanTxOutSet(Params params) {
    String action = params.requireCount(1, 2).string(0);
    switch (action) {
      case "status":
        return NullNode.getInstance();
      case "abort":
        return BooleanNode.FALSE;
      case "start":
        break;
      default:
        throw new RpcException(RpcException.INVALID_PARAMETER, "Invalid action '" + action + "'");
    }
    JsonNode descriptors = params.array(1);
    ObjectNode json = RpcJson.MAPPER.createObjectNode();
    ArrayNode unspents = RpcJson.MAPPER.createArrayNode();
    long total = 0;
    synchronized (ledger) {
      for (JsonNode descriptor : descriptors) {
        byte[] script = scriptOf(descriptor);
        List<Coin> coins = ledger.unspent(script);
        for (Coin coin : coins) {
          unspents.add(unspent(coin, script));
          total += coin.output().valueSats();
        }
      }
      json.put("success", true);
      json.put("txouts", unspents.size());
      json.put("height", ledger.height());
      json.put("bestblock", ledger.tip().hash());
    }
    json.set("unspents", unspents);
    json.put("total_amount", BtcAmount.toBtc(total));
    return json;
  }

  private ObjectNode unspent(Coin coin, byte[] script) {
    ObjectNode json = RpcJson.MAPPER.createObjectNode();
    json.put("txid", coin.outPoint().txid().toDisplayHex());
    json.put("vout", coin.outPoint().vout());
    json.put("scriptPubKey", Hex.encode(script));
    json.put(
        "desc",
        TxJson.address(script, ledger.network())
            .map(a -> "addr(" + a + ")")
            .orElse("raw(" + Hex.encode(script) + ")"));
    json.put("amount", BtcAmount.toBtc(coin.output().valueSats()));
    json.put("coinbase", false);
    json.put("height", coin.height());
    return json;
  }

  /** The script of an {@code addr(...)} or {@code raw(...)} descriptor, checksum suffix ignored. */
  private byte[] scriptOf(JsonNode descriptor) {
    String text = descriptor.isObject() ? descriptor.path("desc").asText() : descriptor.asText();
    int checksum = text.indexOf('#');
    String desc = checksum >= 0 ? text.substring(0, checksum) : text;
    if (desc.startsWith("addr(") && desc.endsWith(")")) {
      return decodeAddress(desc.substring(5, desc.length() - 1), ledger.network()).scriptPubKey();
    }
    if (desc.startsWith("raw(") && desc.endsWith(")")) {
      try {
        return Hex.decode(desc.substring(4, desc.length() - 1));
      } catch (IllegalArgumentException e) {
        throw new RpcException(RpcException.INVALID_ADDRESS_OR_KEY, "raw(): invalid hex");
      }
    }
    throw new RpcException(
        RpcException.INVALID_ADDRESS_OR_KEY,
        "'" + text + "' is not served: the simulator scans addr(...) and raw(...) descriptors");
  }

  static SegwitAddress decodeAddress(String address, Network network) {
    try {
      return SegwitAddress.decode(address, network);
    } catch (AddressFormatException e) {
      throw new RpcException(
          RpcException.INVALID_ADDRESS_OR_KEY, "Invalid address: " + e.getMessage());
    }
  }

  /** bitcoind's names: main, test, signet, regtest. */
  static String chainName(Network network) {
    return switch (network) {
      case MAINNET -> "main";
      case TESTNET -> "test";
      case SIGNET -> "signet";
      case REGTEST -> "regtest";
    };
  }

  private static int verbosity(JsonNode value) {
    if (value.isBoolean()) {
      return value.asBoolean() ? 1 : 0;
    }
    if (value.isIntegralNumber()) {
      return value.asInt();
    }
    throw new RpcException(RpcException.TYPE_ERROR, "verbosity must be a number or a boolean");
  }

  private static RpcException blockNotFound() {
    return new RpcException(RpcException.INVALID_ADDRESS_OR_KEY, "Block not found");
  }
}
