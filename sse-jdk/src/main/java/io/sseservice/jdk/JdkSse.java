package io.sseservice.jdk;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sseservice.ConnectOptions;
import io.sseservice.ConnectRefusedException;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import io.sseservice.internal.Admission;
import io.sseservice.internal.LastEventIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Serves event streams from the JDK's own HTTP server, with no dependency at all: for
 * development, tests and small internal tools, not for clients that may misbehave.
 *
 * <p><b>Limits of the JDK server</b> (measured figures in docs/RELIABILITY.md; no adapter can
 * lift them): it reads request lines and headers with blocking reads and no deadline, so one
 * client that sends half a request slowly stops a server without an executor, and N such
 * clients one with N threads (bound it with {@code -Dsun.net.httpserver.maxReqTime=<seconds>}
 * and an executor; never set {@code maxRspTime}, which cuts streams); on JDK 17 it keeps every
 * connection whose peer went away until it stops (about 4.5 KB each; fixed in JDK 21); and it
 * exposes no socket, so a peer that vanishes without a FIN or reset is noticed only when the
 * kernel gives up retransmitting (940-960 s on Linux defaults).
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
 * server.createContext("/sse", JdkSse.handler(service, exchange ->
 *     ConnectOptions.builder().clientId(userIdFrom(exchange)).build()));
 * server.start();
 * }</pre>
 *
 * <p>The handler returns at once and the exchange stays open, so no server thread is held per
 * connection; the response head is flushed at once. The JDK server only offers blocking writes,
 * so each write runs on a shared pool of writer threads ({@link #DEFAULT_WRITER_THREADS}, growing
 * while every writer is busy up to {@link #MAX_WRITER_THREADS}); a write to a peer that stopped
 * reading blocks one writer until the service's write timeout or queue bound closes the
 * connection, which interrupts that writer (closing its socket), and meanwhile other streams'
 * writes go to other threads. The JDK server reports no closed sockets (it
 * watches no socket while an exchange is open, and a GET's request body ends without touching it),
 * so a peer that went away is noticed at a failed write: TCP accepts the first write after the
 * peer's FIN, the reset that draws fails the second. On an idle stream these are keep-alives, so
 * a gone client leaves after about two keep-alive intervals (at most three): shorten the interval
 * to notice sooner.
 *
 * <p>Thread-safety: stateless and thread-safe.
 */
public final class JdkSse {

  /**
   * Writer threads the default pool starts as writes come (4 per core, at least 8); beyond them
   * it starts one only when every writer is busy, up to {@link #MAX_WRITER_THREADS}.
   */
  public static final int DEFAULT_WRITER_THREADS =
      Math.max(8, 4 * Runtime.getRuntime().availableProcessors());

  /**
   * Most writer threads of the default pool (32 per core, at least 256): a peer that stops
   * reading holds one until the service's write timeout or queue bound cuts it, so this many such
   * peers at once make other streams' writes wait (from 0.2.0).
   */
  public static final int MAX_WRITER_THREADS =
      Math.max(256, 32 * Runtime.getRuntime().availableProcessors());

  private JdkSse() {}

  /**
   * Opens an event stream on {@code exchange} and registers it with {@code service} (the seed's
   * {@code connectSSE}). Headers already set on the exchange's response pass through, as do the
   * {@linkplain ConnectOptions#headers() headers of the options}; the SSE headers win on the same
   * name. The client's last event id is read from the {@code Last-Event-ID} header, else the
   * {@code lastEventId} query parameter, unless {@code options} carries one. The caller must not
   * close the exchange: the connection does when it ends.
   *
   * @throws ConnectRefusedException if the service is closed (answer 503); the exchange is
   *     untouched
   */
  public static SseConnection connect(
      SseService service, HttpExchange exchange, ConnectOptions options) {
    return connect(service, exchange, options, WriterPool.shared());
  }

  /** Like {@link #connect(SseService, HttpExchange, ConnectOptions)}, writing on {@code writers}. */
  public static SseConnection connect(
      SseService service, HttpExchange exchange, ConnectOptions options, Executor writers) {
    requireNonNull(service, "service");
    requireNonNull(exchange, "exchange");
    requireNonNull(writers, "writers");
    ConnectOptions withLastEventId =
        LastEventIds.apply(
            options,
            exchange.getRequestHeaders().getFirst(ConnectOptions.LAST_EVENT_ID_HEADER),
            exchange.getRequestURI().getRawQuery());
    return service.connect(new JdkTransport(exchange, writers), withLastEventId);
  }

  /**
   * Returns a handler that connects every {@code GET} to {@code service} with the options that
   * {@code options} derives from the exchange (client id from a checked token, group from the
   * path...). When {@code options} returns null the request is refused: with the response it
   * already sent, else with 403. Other methods get 405; a closed service 503.
   */
  public static HttpHandler handler(
      SseService service, Function<HttpExchange, @Nullable ConnectOptions> options) {
    requireNonNull(service, "service");
    requireNonNull(options, "options");
    return exchange -> handle(service, options, exchange);
  }

  /** Returns a handler that connects every {@code GET} with default options. */
  public static HttpHandler handler(SseService service) {
    return handler(service, exchange -> ConnectOptions.defaults());
  }

  private static void handle(
      SseService service,
      Function<HttpExchange, @Nullable ConnectOptions> options,
      HttpExchange exchange)
      throws IOException {
    Admission.Decision decision =
        Admission.decide(service, exchange.getRequestMethod(), () -> options.apply(exchange));
    if (decision.refused()) {
      // a refusing function may have sent its own response already
      if (!decision.optionsRefused() || exchange.getResponseCode() == -1) {
        decision.headers().forEach(exchange.getResponseHeaders()::set);
        refuse(exchange, decision.status(), decision.message());
      } else {
        exchange.close();
      }
      return;
    }
    try {
      connect(service, exchange, decision.admitted());
    } catch (ConnectRefusedException e) {
      refuse(exchange, e.status(), Admission.refusal(e).message()); // lost the race with close()
    }
  }

  private static void refuse(HttpExchange exchange, int status, @Nullable String message)
      throws IOException {
    byte[] body = (message == null ? "" : message).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain;charset=utf-8");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }
}
