package io.sseservice.examples;

import io.netty.handler.codec.http.HttpMethod;
import io.sseservice.InMemoryEventHistory;
import io.sseservice.SseService;
import io.sseservice.jackson.JacksonMessageCodec;
import io.sseservice.netty.NettySseServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runnable demo of sse-service on Netty ({@link NettySseServer}): a page at {@code /} whose
 * {@code EventSource} connects to {@code /sse}, and a small JSON API under {@code /api} that calls
 * each of the seed's operations (send to a client, to one connection, to a group; read and change
 * clients; stats). A ticker sends a {@code tick} event to the default group every 5 seconds.
 *
 * <p>Run it from the repository root with
 * {@code mvn -q -pl sse-examples -am -DskipTests package exec:java}, then open the printed URL.
 * The port is 8080 unless the first argument or the {@code PORT} environment variable says
 * otherwise ({@code 0} picks a free one).
 *
 * <p>Netty is the embedded server because it is non-blocking: a client that sends its request
 * one byte a second, or never reads, holds only its own connection, and a gone client is noticed
 * at once (its channel goes inactive), so the page's stats drop it as soon as a tab closes. The
 * page and the API are routes of the same server; the API runs on a small pool of its own
 * ({@code routeExecutor}), so the event loops that write the streams only ever hand work over.
 *
 * <p>The demo has no authentication (anyone who reaches it can push events to every client), so
 * it listens on the loopback interface only.
 *
 * <p>Thread-safety: thread-safe; {@link #close()} may be called from any thread, more than once.
 */
public final class ExampleApp implements AutoCloseable {

  /** The port used when neither an argument nor {@code PORT} gives one. */
  public static final int DEFAULT_PORT = 8080;

  /** How often the ticker sends a {@code tick} event to the default group. */
  static final Duration TICK_INTERVAL = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(ExampleApp.class);

  /** API calls are short; a few threads keep one slow call from delaying the others. */
  private static final int ROUTE_THREADS = 4;

  private final NettySseServer server;
  private final ExecutorService routeThreads;
  private final SseService service;
  private final TickSender ticker;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ExampleApp(
      NettySseServer server, ExecutorService routeThreads, SseService service, TickSender ticker) {
    this.server = server;
    this.routeThreads = routeThreads;
    this.service = service;
    this.ticker = ticker;
  }

  /**
   * Starts the demo on {@code port} of the loopback interface ({@code 0}: any free port) with the
   * ticker running, and returns once it accepts requests.
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static ExampleApp start(int port) {
    return start(port, TICK_INTERVAL);
  }

  /** Like {@link #start(int)}; {@code tickInterval} {@link Duration#ZERO} turns the ticker off. */
  static ExampleApp start(int port, Duration tickInterval) {
    IndexPage page = new IndexPage(); // before binding: a missing page must not leak a socket
    SseService service =
        SseService.builder()
            .messageCodec(JacksonMessageCodec.create()) // json=true messages go out through Jackson
            // a browser that reconnects (network change, laptop lid) gets what it missed
            .history(InMemoryEventHistory.create())
            .listener(new StreamEndpoint.Welcome())
            .build();
    ExecutorService routeThreads = Executors.newFixedThreadPool(ROUTE_THREADS, daemon("api"));
    NettySseServer.Builder builder =
        NettySseServer.builder(service)
            .host(InetAddress.getLoopbackAddress().getHostAddress())
            .port(port)
            .path("/sse")
            .options(StreamEndpoint::options)
            .routeExecutor(routeThreads)
            .route(HttpMethod.GET, "/", page)
            .fallback(() -> NotFound.INSTANCE);
    new ApiHandlers(service).register(builder);
    NettySseServer server;
    try {
      server = builder.start();
    } catch (Exception e) { // Netty throws the BindException unchecked, without declaring it
      routeThreads.shutdownNow();
      service.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot listen on port " + port + ": " + e.getMessage(), io);
      }
      throw e;
    }
    TickSender ticker = TickSender.start(service, tickInterval);
    ExampleApp app = new ExampleApp(server, routeThreads, service, ticker);
    LOG.info("listening on {}", app.uri());
    return app;
  }

  /** Starts the demo and keeps it running until the JVM is stopped (Ctrl+C). */
  public static void main(String[] args) {
    int port;
    try {
      port = port(args, System.getenv("PORT"));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\nusage: ExampleApp [port]   (or set PORT)");
      System.exit(2);
      return;
    }
    routeJulToSlf4j();
    ExampleApp app;
    try {
      app = start(port);
    } catch (UncheckedIOException e) {
      String hint =
          e.getCause() instanceof BindException
              ? " (in use? pass another port as the first argument or in PORT)"
              : "";
      System.err.println(e.getMessage() + hint);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "example-shutdown"));
    System.out.println("sse-service example running at " + app.uri() + "  (Ctrl+C to stop)");
    // main returns; Netty's event-loop threads (not daemons) keep the JVM alive
  }

  /** Picks the port: the first argument, else {@code env}, else {@link #DEFAULT_PORT}. */
  static int port(String[] args, @Nullable String env) {
    String value = args.length > 0 ? args[0] : env;
    if (value == null || value.isBlank()) {
      return DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new IllegalArgumentException("port: \"" + value + "\" (expected: 0..65535)");
  }

  /** Returns the port the server listens on (the chosen one when started on port 0). */
  public int port() {
    return server.port();
  }

  /** Returns the page's URL, {@code http://localhost:PORT/}. */
  public URI uri() {
    return URI.create("http://localhost:" + port() + "/");
  }

  /** Returns the service behind the demo, for code that wants to send from elsewhere. */
  public SseService service() {
    return service;
  }

  /**
   * Stops the ticker, ends every event stream (each gets what was already queued and is told when
   * to reconnect), then stops the HTTP server. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("shutting down");
    ticker.close();
    service.close(); // before the server: streams end cleanly instead of being cut
    server.close(); // the streams are drained; what is left is at most a short API call
    routeThreads.shutdownNow();
    LOG.info("stopped");
  }

  /** Daemon threads, so a forgotten pool never keeps the JVM alive after the server stopped. */
  static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "example-" + name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Under {@code mvn exec:java} the app runs in a child class loader and the JDK does not find
   * slf4j-jdk-platform-logging, so the core's System.Logger output goes to java.util.logging;
   * the bridge sends it on to SLF4J. With {@code java -cp} it is a harmless no-op path.
   */
  private static void routeJulToSlf4j() {
    if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
      org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
      org.slf4j.bridge.SLF4JBridgeHandler.install();
    }
  }
}
