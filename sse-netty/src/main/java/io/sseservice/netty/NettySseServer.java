package io.sseservice.netty;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A ready Netty server for one event-stream path and the application's other endpoints, speaking
 * HTTP/1.1 and cleartext HTTP/2 (h2c, by upgrade or prior knowledge), so browsers behind a
 * TLS-terminating proxy and HTTP/2 clients are not limited to six streams per host.
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
 * <p>Each request is aggregated (at most 64 KiB) into a {@link FullHttpRequest} and goes to the
 * first that takes it: the stream path (a {@code GET} opens a stream; another method gets 405, a
 * {@code null} from {@link Builder#options} 403), a {@link Builder#route route}'s path (another
 * method gets 405), the {@link Builder#fallback fallback} handler, else 404. Answers other than
 * the stream's keep an HTTP/1.1 connection open for its next request; over HTTP/2 each request
 * is a stream of its own.
 *
 * <p>Thread-safety: thread-safe; {@link #close()} may be called from any thread.
 */
public final class NettySseServer implements AutoCloseable {

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
    private final Routes routes = Routes.mutable();
    private @Nullable Executor routeExecutor;
    private @Nullable Supplier<? extends ChannelHandler> fallback;

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

    /**
     * Sets the stream path; default {@code /sse}. Other paths go to the routes, the fallback
     * handler, else 404.
     */
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
     * Sets how a request for the stream path becomes connect options (client id from a checked
     * token...). The function receives the aggregated {@link FullHttpRequest}: its headers, URI
     * (with the query string) and any body; it is released after the connect, so copy what you
     * keep. Return null to refuse with 403; throw {@link IllegalArgumentException} to answer 400.
     * Default: {@link ConnectOptions#defaults()} for every request.
     *
     * <p>The function runs on event loops, concurrently: it must be thread-safe and must not
     * block.
     */
    public Builder options(Function<FullHttpRequest, @Nullable ConnectOptions> options) {
      this.options = requireNonNull(options, "options");
      return this;
    }

    /**
     * Adds one of the application's routes next to the stream (a publish endpoint, a health
     * check): a request with {@code method} for exactly {@code path} (the query string aside)
     * gets what {@code handler} returns, over HTTP/1.1 and HTTP/2 alike, and an HTTP/1.1
     * connection stays open for the next request unless the request said otherwise. A
     * {@code Content-Length} is added when the response has neither it nor chunked encoding.
     *
     * <p>The handler runs on the connection's event loop, which also writes the streams of the
     * other connections on that loop: there it must not block (no database call, no remote
     * call, no lock held by a slow thread). Routes that may block need a
     * {@link #routeExecutor(Executor) route executor}. The request is released after the handler
     * returns; copy (or {@code retain}) what you keep, such as its
     * content. A handler that throws, or returns null, gets 500 (logged at WARNING under
     * {@code io.sseservice}) and the connection keeps serving; another method on {@code path}
     * gets 405 with {@code Allow}, never the fallback.
     *
     * <p>The handler may be called from several event loops at once: it must be thread-safe.
     *
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}, or the
     *     route exists; {@link #start()} throws it if {@code path} is the stream path
     */
    public Builder route(HttpMethod method, String path,
        Function<FullHttpRequest, FullHttpResponse> handler) {
      requireNonNull(method, "method");
      requireNonNull(path, "path");
      requireNonNull(handler, "handler");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path: \"" + path + "\" (expected: starting with /)");
      }
      if (!routes.add(method, path, handler)) {
        throw new IllegalArgumentException("route: " + method + " " + path + " is added already");
      }
      return this;
    }

    /**
     * Runs the routes on {@code executor} instead of the connection's event loop, for routes that
     * block. The response is written from the event loop when the route returns; until then the
     * connection reads nothing more, so an HTTP/1.1 client that sends several requests at once
     * gets its answers in order. A task the executor refuses is answered 503 (logged). The
     * stream, the {@link #options options} function and the fallback handler stay on the event
     * loop. Default: none, the routes run on the event loop.
     */
    public Builder routeExecutor(Executor executor) {
      this.routeExecutor = requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets the handler of every request that is neither for the stream path nor for a route's
     * path: each HTTP/1.1 connection and each HTTP/2 stream gets {@code handler.get()} (a new
     * handler, or one {@link ChannelHandler.Sharable @Sharable} instance) at the end of its
     * pipeline, where it reads {@link FullHttpRequest}s, releases them (as
     * {@code SimpleChannelInboundHandler} does) and writes a {@link FullHttpResponse}. It decides
     * keep-alive itself ({@code HttpUtil.isKeepAlive(request)}). A request it passes on
     * ({@code ctx.fireChannelRead}) gets 404; an exception it lets through is logged and closes
     * the channel.
     *
     * <p>The handler runs on the channel's event loop, as any Netty handler does, and must not
     * block there: hand blocking work to your own executor and write the response from it
     * ({@code ctx.writeAndFlush} may be called from any thread).
     *
     * <p>The supplier is called on event loops, concurrently: it must be thread-safe.
     */
    public Builder fallback(Supplier<? extends ChannelHandler> handler) {
      this.fallback = requireNonNull(handler, "handler");
      return this;
    }

    /** Binds and returns the running server. */
    @SuppressWarnings("deprecation") // NioEventLoopGroup: the one event-loop API of Netty 4.1 and 4.2
    public NettySseServer start() {
      if (routes.has(path)) {
        throw new IllegalArgumentException("route: " + path + " is the stream path");
      }
      ServerPipeline pipeline = new ServerPipeline(service, path, options, routes.copy(),
          routeExecutor, fallback);
      EventLoopGroup boss = new NioEventLoopGroup(1);
      EventLoopGroup workers = new NioEventLoopGroup(
          workerThreads > 0 ? workerThreads : Runtime.getRuntime().availableProcessors());
      try {
        Channel channel = new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childHandler(pipeline)
            .bind(host, port).syncUninterruptibly().channel();
        return new NettySseServer(boss, workers, channel);
      } catch (RuntimeException e) {
        boss.shutdownGracefully();
        workers.shutdownGracefully();
        throw e;
      }
    }
  }
}
