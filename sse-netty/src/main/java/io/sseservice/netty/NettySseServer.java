package io.sseservice.netty;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.AsciiString;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A ready Netty server for one event-stream path, speaking HTTP/1.1 and cleartext HTTP/2 (h2c,
 * by upgrade or prior knowledge), so browsers behind a TLS-terminating proxy and HTTP/2 clients
 * are not limited to six streams per host.
 *
 * <pre>{@code
 * NettySseServer server = NettySseServer.builder(service)
 *     .port(8080)
 *     .path("/sse")
 *     .options(request -> ConnectOptions.builder().clientId(userIdFrom(request)).build())
 *     .route(HttpMethod.POST, "/publish", request -> ...)   // the application's other routes
 *     .start();
 * }</pre>
 *
 * <p>Thread-safety: thread-safe; {@link #close()} may be called from any thread.
 */
public final class NettySseServer implements AutoCloseable {

  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel server;

  private NettySseServer(EventLoopGroup boss, EventLoopGroup workers, Channel server) {
    this.boss = boss;
    this.workers = workers;
    this.server = server;
  }

  /** Returns a builder for a server of {@code service}. */
  public static Builder builder(SseService service) {
    return new Builder(requireNonNull(service, "service"));
  }

  /** Returns the port the server listens on. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /**
   * Stops accepting and closes the event loops. Close the {@link SseService} first so that its
   * streams end gracefully (each client told when to reconnect).
   */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /**
   * Configures a {@link NettySseServer}.
   *
   * <p>Thread-safety: not thread-safe.
   */
  public static final class Builder {
    private final SseService service;
    private String host = "0.0.0.0";
    private int port = 8080;
    private String path = "/sse";
    private int workerThreads = 0;
    private Function<FullHttpRequest, @Nullable ConnectOptions> options =
        request -> ConnectOptions.defaults();
    private final Map<String, Function<FullHttpRequest, FullHttpResponse>> routes =
        new LinkedHashMap<>();

    private Builder(SseService service) {
      this.service = service;
    }

    /** Sets the address to bind; default all interfaces. */
    public Builder host(String host) {
      this.host = requireNonNull(host, "host");
      return this;
    }

    /** Sets the port; 0 picks a free one (see {@link NettySseServer#port()}). Default 8080. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
      }
      this.port = port;
      return this;
    }

    /** Sets the stream path; default {@code /sse}. Other paths answer 404. */
    public Builder path(String path) {
      this.path = requireNonNull(path, "path");
      return this;
    }

    /**
     * Sets the number of event-loop threads; 0 (default) means one per core. Netty's own default
     * is two per core; event streams never block a loop, and the extra loops only compete with the
     * application's publishing threads for the cores (measured in docs/PERFORMANCE.md: on 2 cores,
     * 4 loops deliver a 10,000-stream broadcast at a third of the rate of 2 loops).
     */
    public Builder workerThreads(int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("workerThreads: " + threads + " (expected: >= 0)");
      }
      this.workerThreads = threads;
      return this;
    }

    /**
     * Sets how a request becomes connect options (client id from a checked token...). Return null
     * to refuse with 403; throw {@link IllegalArgumentException} to answer 400.
     */
    public Builder options(Function<FullHttpRequest, @Nullable ConnectOptions> options) {
      this.options = requireNonNull(options, "options");
      return this;
    }

    /**
     * Adds one of the application's routes next to the stream (a publish endpoint, a health
     * check): a request with {@code method} for {@code path} (the query string aside) gets what
     * {@code handler} returns, and an HTTP/1.1 connection stays open for the next request. The
     * handler runs on the connection's event loop, so it must not block: hand slow work to your
     * own executor and answer at once (202), or use your own pipeline with {@link NettySse}. The
     * request is released after the handler returns; copy what you keep. A handler that throws
     * gets 500 (logged); the same path with another method gets 405; unknown paths get 404.
     *
     * @throws IllegalArgumentException if {@code path} is the stream path or the route exists
     */
    public Builder route(HttpMethod method, String path,
        Function<FullHttpRequest, FullHttpResponse> handler) {
      requireNonNull(method, "method");
      requireNonNull(path, "path");
      requireNonNull(handler, "handler");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path: \"" + path + "\" (expected: starting with /)");
      }
      if (routes.putIfAbsent(method.name() + " " + path, handler) != null) {
        throw new IllegalArgumentException("route: " + method + " " + path + " is added already");
      }
      return this;
    }

    /** Binds and returns the running server. */
    @SuppressWarnings("deprecation") // NioEventLoopGroup: the one event-loop API of Netty 4.1 and 4.2
    public NettySseServer start() {
      if (routes.keySet().stream().anyMatch(key -> key.endsWith(" " + path))) {
        throw new IllegalArgumentException("route: " + path + " is the stream path");
      }
      EventLoopGroup boss = new NioEventLoopGroup(1);
      EventLoopGroup workers = new NioEventLoopGroup(
          workerThreads > 0 ? workerThreads : Runtime.getRuntime().availableProcessors());
      try {
        Channel channel = new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childHandler(new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                connectionPipeline(ch);
              }
            })
            .bind(host, port).syncUninterruptibly().channel();
        return new NettySseServer(boss, workers, channel);
      } catch (RuntimeException e) {
        boss.shutdownGracefully();
        workers.shutdownGracefully();
        throw e;
      }
    }

    private void connectionPipeline(SocketChannel ch) {
      HttpServerCodec http1 = new HttpServerCodec();
      HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(http1, protocol ->
          AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
              ? new Http2ServerUpgradeCodec(Http2FrameCodecBuilder.forServer().build(),
                  new Http2MultiplexHandler(streamInitializer()))
              : null, MAX_REQUEST_BYTES);
      ch.pipeline().addLast(new CleartextHttp2ServerUpgradeHandler(http1, upgrade,
          new ChannelInitializer<Channel>() { // prior knowledge: straight to HTTP/2
            @Override
            protected void initChannel(Channel h2) {
              h2.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                  new Http2MultiplexHandler(streamInitializer()));
            }
          }));
      ch.pipeline().addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES),
          new SseHttpHandler(service, path, options, Map.copyOf(routes)));
    }

    private ChannelInitializer<Http2StreamChannel> streamInitializer() {
      return new ChannelInitializer<>() {
        @Override
        protected void initChannel(Http2StreamChannel stream) {
          stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
              new HttpObjectAggregator(MAX_REQUEST_BYTES),
              new SseHttpHandler(service, path, options, Map.copyOf(routes)));
        }
      };
    }
  }
}
