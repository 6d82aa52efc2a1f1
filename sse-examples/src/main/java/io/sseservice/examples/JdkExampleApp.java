package io.sseservice.examples;

import com.sun.net.httpserver.HttpServer;
import io.sseservice.InMemoryEventHistory;
import io.sseservice.SseService;
import io.sseservice.jackson.JacksonMessageCodec;
import io.sseservice.jdk.JdkSse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * A runnable demo of sse-service on the JDK's built-in HTTP server: a page at {@code /} whose
 * {@code EventSource} connects to {@code /sse}, and a small JSON API under {@code /api} that calls
 * each of the seed's operations (send to a client, to one connection, to a group; read and change
 * clients; stats). A ticker sends a {@code tick} event to the default group every 5 seconds.
 *
 * <p>Run it from the repository root with
 * {@code mvn -q -pl sse-examples -am -DskipTests package exec:java}, then open the printed URL.
 * The port is 8080 unless the first argument or the {@code PORT} environment variable says
 * otherwise ({@code 0} picks a free one).
 *
 * <p>The demo has no authentication (anyone who reaches it can push events to every client), so
 * it listens on the loopback interface only.
 *
 * <p>Thread-safety: thread-safe; {@link #close()} may be called from any thread, more than once.
 */
public final class JdkExampleApp implements AutoCloseable {

  /** The port used when neither an argument nor {@code PORT} gives one. */
  public static final int DEFAULT_PORT = 8080;

  /** How often the ticker sends a {@code tick} event to the default group. */
  static final Duration TICK_INTERVAL = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(JdkExampleApp.class);
  /** API calls are short; a few threads keep a slow request body from stalling the others. */
  private static final int HANDLER_THREADS = 4;

  private final HttpServer server;
  private final ExecutorService handlerThreads;
  private final SseService service;
  private final TickSender ticker;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdkExampleApp(HttpServer server, ExecutorService handlerThreads, SseService service,
      TickSender ticker) {
    this.server = server;
    this.handlerThreads = handlerThreads;
    this.service = service;
    this.ticker = ticker;
  }

  /**
   * Starts the demo on {@code port} of the loopback interface ({@code 0}: any free port) with the
   * ticker running, and returns once it accepts requests.
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static JdkExampleApp start(int port) {
    return start(port, TICK_INTERVAL);
  }

  /** Like {@link #start(int)}; {@code tickInterval} {@link Duration#ZERO} turns the ticker off. */
  static JdkExampleApp start(int port, Duration tickInterval) {
    IndexPage page = new IndexPage(); // before binding: a missing page must not leak a socket
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port + ": " + e.getMessage(), e);
    }
    SseService service = SseService.builder()
        .messageCodec(JacksonMessageCodec.create()) // json=true messages go out through Jackson
        // a browser that reconnects (network change, laptop lid) gets what it missed
        .history(InMemoryEventHistory.create())
        .listener(new StreamEndpoint.Welcome())
        .build();
    ExecutorService handlerThreads = Executors.newFixedThreadPool(HANDLER_THREADS, daemon("http"));
    server.setExecutor(handlerThreads);
    server.createContext("/", page);
    server.createContext("/sse", JdkSse.handler(service, StreamEndpoint::options));
    new ApiHandlers(service).register(server);
    server.start();
    TickSender ticker = TickSender.start(service, tickInterval);
    JdkExampleApp app = new JdkExampleApp(server, handlerThreads, service, ticker);
    LOG.info("listening on {}", app.uri());
    return app;
  }

  /** Starts the demo and keeps it running until the JVM is stopped (Ctrl+C). */
  public static void main(String[] args) {
    int port;
    try {
      port = port(args, System.getenv("PORT"));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\nusage: JdkExampleApp [port]   (or set PORT)");
      System.exit(2);
      return;
    }
    routeJulToSlf4j();
    JdkExampleApp app;
    try {
      app = start(port);
    } catch (UncheckedIOException e) {
      String hint = e.getCause() instanceof BindException
          ? " (in use? pass another port as the first argument or in PORT)" : "";
      System.err.println(e.getMessage() + hint);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "example-shutdown"));
    System.out.println("sse-service example running at " + app.uri() + "  (Ctrl+C to stop)");
    // main returns; the server's dispatcher thread (not a daemon) keeps the JVM alive
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
    return server.getAddress().getPort();
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
   * Stops the ticker, ends every event stream (each gets what was already queued), then stops the
   * HTTP server. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("shutting down");
    ticker.close();
    service.close(); // before the server: streams end cleanly instead of being cut
    server.stop(0); // the streams are drained; what is left is at most a short API call
    handlerThreads.shutdownNow();
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
