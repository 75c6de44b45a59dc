package io.mpcw.chain.simulator.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mpcw.chain.simulator.ledger.Ledger;
import io.mpcw.chain.simulator.metrics.ChainMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: JSON-RPC on {@code /} and {@code /wallet/<name>} behind Basic authentication,
 * {@code GET /health} and {@code GET /metrics} open, like a service's management endpoints. Netty
 * rather than the JDK's HTTP server, whose answers to malformed requests are fixed HTML pages
 * naming Java exceptions: here a request that cannot be parsed gets a problem JSON 400.
 */
public final class RpcServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

  /** A transaction is at most 4 MB, 8 MB as hex; anything much bigger is not a request. */
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private static final int THREADS = 8;

  private final Channel channel;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final EventExecutorGroup handlers;
  private final JsonRpcDispatcher dispatcher;
  private final PrometheusMeterRegistry registry;
  private final RpcAuthenticator authenticator;

  private RpcServer(
      Ledger ledger, String bind, int port, Optional<Map.Entry<String, String>> credentials) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ChainMetrics metrics = new ChainMetrics(registry, ledger);
    Map<String, RpcMethod> methods = new HashMap<>();
    methods.putAll(new BlockchainMethods(ledger).methods());
    methods.putAll(new MempoolMethods(ledger, metrics).methods());
    methods.putAll(new FaucetMethods(ledger, metrics).methods());
    this.dispatcher = new JsonRpcDispatcher(methods, metrics);
    this.authenticator =
        credentials.map(c -> new RpcAuthenticator(c.getKey(), c.getValue())).orElse(null);
    this.boss = new NioEventLoopGroup(1);
    this.workers = new NioEventLoopGroup(2);
    this.handlers = new DefaultEventExecutorGroup(THREADS);
    try {
      this.channel =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(NioServerSocketChannel.class)
              // a client that sends its request and shuts its side still gets the answer
              .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(new HttpServerCodec(4096, 8192, 8192))
                          .addLast(new BoundedAggregator())
                          .addLast(handlers, new Handler());
                    }
                  })
              .bind(new InetSocketAddress(bind, port))
              .syncUninterruptibly()
              .channel();
    } catch (RuntimeException e) {
      shutdownGroups();
      throw new UncheckedIOException(
          "cannot listen on " + bind + ":" + port, new java.io.IOException(e.getMessage(), e));
    }
  }

  /**
   * Binds {@code bind:port} (port 0 for any free one) and starts serving {@code ledger}.
   *
   * @param credentials user and password; empty serves the RPC without authentication
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static RpcServer start(
      Ledger ledger, String bind, int port, Optional<Map.Entry<String, String>> credentials) {
    return new RpcServer(ledger, bind, port, credentials);
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    shutdownGroups();
    registry.close();
  }

  private void shutdownGroups() {
    boss.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    handlers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** One complete request in, one response out. */
  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      if (request.decoderResult().isFailure()) {
        respond(ctx, request, problem(400, "Bad Request", "The request cannot be parsed."), false);
        return;
      }
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      try {
        respond(ctx, request, answer(request), keepAlive);
      } catch (RuntimeException e) {
        log.error("RPC request failed", e);
        respond(
            ctx,
            request,
            problem(500, "Internal Server Error", "The request could not be completed."),
            false);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        // after the answer to what it sent (written before this event), nothing more will come
        ctx.close();
      } else {
        ctx.fireUserEventTriggered(event);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** A body above the limit: a problem, then the connection is closed. */
  private static final class BoundedAggregator extends HttpObjectAggregator {
    BoundedAggregator() {
      super(MAX_BODY_BYTES);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      FullHttpResponse response =
          problem(413, "Payload Too Large", "The request body is too large.");
      response.headers().set(HttpHeaderNames.CONNECTION, "close");
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private FullHttpResponse answer(FullHttpRequest request) {
    Optional<String> malformed = HttpChecks.malformed(request);
    if (malformed.isPresent()) {
      return problem(400, "Bad Request", malformed.get());
    }
    String uri = request.uri();
    int query = uri.indexOf('?');
    String path = query >= 0 ? uri.substring(0, query) : uri;
    if (path.equals("/health") || path.equals("/metrics")) {
      if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
        return problem(405, "Method Not Allowed", "Only GET is served at this path.");
      }
      return path.equals("/health")
          ? response(200, "application/json", utf8("{\"status\":\"UP\"}"))
          : response(200, "text/plain; version=0.0.4; charset=utf-8", utf8(registry.scrape()));
    }
    if (authenticator != null
        && !authenticator.accepts(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
      FullHttpResponse refused =
          problem(401, "Authentication required", "Send the RPC user and password.");
      refused.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"jsonrpc\"");
      return refused;
    }
    if (!path.equals("/") && !path.startsWith("/wallet/")) {
      return problem(404, "Not Found", "Nothing is served at this path.");
    }
    if (!request.method().equals(HttpMethod.POST)) {
      return problem(405, "Method Not Allowed", "JSONRPC server handles only POST requests.");
    }
    JsonRpcDispatcher.Response response =
        dispatcher.dispatch(ByteBufUtil.getBytes(request.content()));
    return response(response.status(), "application/json", toBytes(response.json()));
  }

  /** RFC 9457 problem JSON for what is not a JSON-RPC call at all (wrong path, method, size). */
  private static FullHttpResponse problem(int status, String title, String detail) {
    var json = RpcJson.MAPPER.createObjectNode();
    json.put("type", "about:blank");
    json.put("title", title);
    json.put("status", status);
    json.put("detail", detail);
    return response(status, "application/problem+json", toBytes(json));
  }

  private static FullHttpResponse response(int status, String type, byte[] body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return response;
  }

  private static void respond(
      ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, boolean keep) {
    if (keep) {
      response.headers().set(HttpHeaderNames.CONNECTION, "keep-alive");
      ctx.writeAndFlush(response);
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, "close");
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] toBytes(JsonNode json) {
    try {
      return RpcJson.MAPPER.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a JSON-RPC answer", e);
    }
  }
}
