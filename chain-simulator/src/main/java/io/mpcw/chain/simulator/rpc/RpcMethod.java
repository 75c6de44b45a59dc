package io.mpcw.chain.simulator.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/** One JSON-RPC method: positional parameters in, the {@code result} member out. */
@FunctionalInterface
interface RpcMethod {
  /**
   * @throws RpcException for an answer with an error object
   */
  JsonNode call(Params params);
}
