package io.sseservice.vertx;

import static java.util.Objects.requireNonNull;

import io.sseservice.ConnectOptions;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import io.sseservice.internal.LastEventIds;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Opens event streams on Vert.x HTTP server requests (HTTP/1.1, HTTP/2, HTTP/1.0), without
 * blocking and without a thread per stream. Thread-safety: stateless and thread-safe;
 * {@link #connect} must run on the request's Vert.x context (in its handler, or a callback that
 * Vert.x runs on that context), and events may then be sent from any thread.
 *
 * <pre>{@code
 * Router router = Router.router(vertx);
 * router.route().handler(CorsHandler.create());          // headers it sets pass through
 * router.get("/sse").handler(VertxSse.handler(service, ctx ->
 *     ConnectOptions.builder().clientId(ctx.user().subject()).build()));  // null: 403
 * vertx.createHttpServer().requestHandler(router).listen(8080);
 * }</pre>
 *
 * <p>Inside your own request handler, {@link #connect} does the same and returns the
 * connection. Headers that earlier handlers already set on the response (CORS, security,
 * tracing) pass through; the SSE headers win on the same name. Each stream is served by its
 * connection's event loop: sends from other threads (a message consumer, a scheduled job) are
 * handed to it. Keep a {@code TimeoutHandler} off stream routes: its timer would end the stream.
 *
 * <p>A client that stops reading is cut by the service as a slow consumer, as on every stack.
 * Vert.x then closes an HTTP/1.x connection only after the bytes it already queued went out,
 * that is never while such a peer stays connected without reading. Give the server a write idle
 * timeout longer than the service's keep-alive interval
 * ({@code new HttpServerOptions().setWriteIdleTimeout(60)} with the default 20 s) and those
 * sockets are closed too; healthy idle streams stay clear of it, their keep-alive comments are
 * writes. (HTTP/2 streams are reset at once.)
 */
public final class VertxSse {

  private VertxSse() {}

  /**
   * Opens an event stream answering {@code request} and registers it with {@code service} (the
   * seed's {@code connectSSE}). The client's last event id is read from the {@code Last-Event-ID}
   * header, else the {@code lastEventId} query parameter, unless {@code options} carries one. Do
   * not write to the response afterwards: the connection owns it until it ends.
   *
   * @param service the service to register the stream with
   * @param request the request to answer with the stream
   * @param options client id, group, metadata, callbacks and extra headers of the stream
   * @return the open connection
   * @throws IllegalStateException if not called on a Vert.x context, or the service is closed
   */
  public static SseConnection connect(
      SseService service, HttpServerRequest request, ConnectOptions options) {
    requireNonNull(request, "request");
    return connect(service, request, options, VertxTransport.watchResponse(request.response()));
  }

  /**
   * Returns a Vert.x Web handler that connects every {@code GET} to {@code service} with the
   * options that {@code options} derives from the routing context (client id from the
   * authenticated user, group from a path parameter...). Refusals are answered with a plain
   * text status: when {@code options} returns null, 403 (unless it already answered, e.g. with a
   * redirect, or called {@code ctx.fail}: that is how to give your own answer); when it throws
   * {@link IllegalArgumentException}, 400; other methods than {@code GET}, 405; a closed service,
   * 503.
   *
   * @param service the service to register the streams with
   * @param options the stream's options for a request, or null to refuse it
   * @return a handler for {@code router.get(path).handler(...)}
   */
  public static Handler<RoutingContext> handler(
      SseService service, Function<RoutingContext, @Nullable ConnectOptions> options) {
    // a separate class, so that applications without Vert.x Web can load this one
    return new RoutingHandler(service, options);
  }

  /** Connects with {@code watchEnd} telling the transport how it learns that the peer went. */
  static SseConnection connect(
      SseService service,
      HttpServerRequest request,
      ConnectOptions options,
      Consumer<Runnable> watchEnd) {
    requireNonNull(service, "service");
    requireNonNull(request, "request");
    requireNonNull(options, "options");
    // Vert.x exposes a request's context only through internal API; the handler runs on it
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException(
          "VertxSse.connect must run on the request's Vert.x context"
              + " (in its handler), not on "
              + Thread.currentThread().getName());
    }
    ConnectOptions withLastEventId =
        LastEventIds.apply(
            options, request.getHeader(ConnectOptions.LAST_EVENT_ID_HEADER), request.query());
    return service.connect(new VertxTransport(request, context, watchEnd), withLastEventId);
  }
}
