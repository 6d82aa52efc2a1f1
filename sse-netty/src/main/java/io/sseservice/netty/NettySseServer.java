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
import java.time.Duration;
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
 * <p>An HTTP/1.1 connection must send each request whole within the
 * {@link Builder#requestReadTimeout request-read timeout} of its first byte (else 408) and is
 * closed after the {@link Builder#idleTimeout idle timeout} without a request in progress; a
 * request Netty's decoder rejected gets 431, 414 or 400 (see
 * {@link NettySse#decoderFailureStatus}) and is never served as a stream.
 *
 * <p>Thread-safety: thread-safe; {@link #close()} may be called from any thread.
 */
public final class NettySseServer implements AutoCloseable {

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel server;
  private final boolean epoll;

  private NettySseServer(
      EventLoopGroup boss, EventLoopGroup workers, Channel server, boolean epoll) {
    this.boss = boss;
    this.workers = workers;
    this.server = server;
    this.epoll = epoll;
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
   * Returns the transport the server runs on: {@code "epoll"} (Linux, with Netty's
   * {@code netty-transport-native-epoll} on the class path: a vanished peer is noticed within the
   * {@link Builder#tcpUserTimeout TCP user timeout}) or {@code "nio"} (anywhere else: the kernel
   * notices a vanished peer only when it gives up retransmitting, about 15 minutes on Linux).
   */
  public String transport() {
    return epoll ? "epoll" : "nio";
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
    /** How long a request may take to arrive whole, from its first byte: 10 s. */
    public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(10);

    /** How long an HTTP/1.1 connection is kept with no request in progress: 60 s. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * How long sent data may stay unacknowledged before the connection is ended, on epoll: 40 s,
     * two of the service's default keep-alive intervals.
     */
    public static final Duration DEFAULT_TCP_USER_TIMEOUT =
        SseService.Builder.DEFAULT_KEEP_ALIVE_INTERVAL.multipliedBy(2);

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
    private Duration requestReadTimeout = DEFAULT_REQUEST_READ_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration tcpUserTimeout = DEFAULT_TCP_USER_TIMEOUT;
    private boolean nativeTransport = true;

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
    public Builder route(
        HttpMethod method, String path, Function<FullHttpRequest, FullHttpResponse> handler) {
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

    /**
     * Sets the header-read timeout: how long a request (its head and its body, at most 64 KiB)
     * may take to arrive whole on an HTTP/1.1 connection, counted from its first byte. A request
     * still incomplete then is answered 408 and its connection closed, so a client that sends
     * slowly, or half a request and then nothing, holds no connection. Zero: no limit. Default
     * {@link #DEFAULT_REQUEST_READ_TIMEOUT}. It no longer applies once the connection carries an
     * event stream (the service's write timeout and keep-alive watch that) or HTTP/2.
     */
    public Builder requestReadTimeout(Duration timeout) {
      this.requestReadTimeout = nonNegative(timeout, "requestReadTimeout");
      return this;
    }

    /**
     * Sets the idle timeout: how long an HTTP/1.1 connection with no request in progress (a new
     * one that sent nothing, or a keep-alive one between requests) is kept; then it is closed
     * without an answer. Zero: kept until the client closes it. Default
     * {@link #DEFAULT_IDLE_TIMEOUT}. It does not apply to a connection that carries an event
     * stream, nor while the application is answering a request.
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = nonNegative(timeout, "idleTimeout");
      return this;
    }

    /**
     * Sets {@code TCP_USER_TIMEOUT} on each accepted connection, when the server runs on epoll
     * (see {@link NettySseServer#transport()}): data sent and not acknowledged for this long ends
     * the connection, so a peer that vanished without a FIN or a reset (a phone that lost its
     * network) is noticed within about one keep-alive interval plus this timeout, where the
     * kernel alone retransmits for about 15 minutes. Set it to about two of the service's
     * keep-alive intervals; a reader that stops reading is cut by it too once its window stays
     * shut that long. Zero: the kernel's default. Default {@link #DEFAULT_TCP_USER_TIMEOUT}.
     * Without epoll it has no effect (TCP keepalive would not help: it probes only a connection
     * with nothing unacknowledged, and the keep-alive comments leave something unacknowledged).
     */
    public Builder tcpUserTimeout(Duration timeout) {
      this.tcpUserTimeout = nonNegative(timeout, "tcpUserTimeout");
      if (timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "tcpUserTimeout: " + timeout + " (expected: at most " + Integer.MAX_VALUE + " ms)");
      }
      return this;
    }

    /**
     * Sets whether to run on Netty's native epoll transport where it is available (Linux, with
     * {@code io.netty:netty-transport-native-epoll} of your Netty version, classifier
     * {@code linux-x86_64} or {@code linux-aarch_64}, on the class path). Default true; false,
     * or where it is missing: NIO.
     */
    public Builder nativeTransport(boolean enabled) {
      this.nativeTransport = enabled;
      return this;
    }

    private static Duration nonNegative(Duration timeout, String name) {
      requireNonNull(timeout, name);
      if (timeout.isNegative()) {
        throw new IllegalArgumentException(name + ": " + timeout + " (expected: >= 0)");
      }
      return timeout;
    }

    /** Binds and returns the running server. */
    @SuppressWarnings(
        "deprecation") // NioEventLoopGroup: the one event-loop API of Netty 4.1 and 4.2
    public NettySseServer start() {
      if (routes.has(path)) {
        throw new IllegalArgumentException("route: " + path + " is the stream path");
      }
      ServerPipeline pipeline =
          new ServerPipeline(
              service,
              path,
              options,
              routes.copy(),
              routeExecutor,
              fallback,
              requestReadTimeout.toNanos(),
              idleTimeout.toNanos());
      boolean epoll = nativeTransport && EpollTransport.isAvailable();
      int threads = workerThreads > 0 ? workerThreads : Runtime.getRuntime().availableProcessors();
      EventLoopGroup boss = epoll ? EpollTransport.group(1) : new NioEventLoopGroup(1);
      EventLoopGroup workers =
          epoll ? EpollTransport.group(threads) : new NioEventLoopGroup(threads);
      try {
        ServerBootstrap bootstrap =
            new ServerBootstrap()
                .group(boss, workers)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(pipeline);
        if (epoll) {
          EpollTransport.configure(bootstrap, (int) tcpUserTimeout.toMillis());
        } else {
          bootstrap.channel(NioServerSocketChannel.class);
        }
        Channel channel = bootstrap.bind(host, port).syncUninterruptibly().channel();
        return new NettySseServer(boss, workers, channel, epoll);
      } catch (RuntimeException e) {
        boss.shutdownGracefully();
        workers.shutdownGracefully();
        throw e;
      }
    }
  }
}
