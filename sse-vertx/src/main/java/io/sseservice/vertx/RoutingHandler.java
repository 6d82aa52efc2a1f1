package io.sseservice.vertx;

import static java.util.Objects.requireNonNull;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The Vert.x Web handler behind {@link VertxSse#handler}. Thread-safety: immutable; Vert.x calls
 * it on each request's context.
 *
 * <p>It is the only class that touches Vert.x Web types, so {@code VertxSse.connect} works with
 * {@code vertx-core} alone.
 */
final class RoutingHandler implements Handler<RoutingContext> {

  private final SseService service;
  private final Function<RoutingContext, @Nullable ConnectOptions> options;

  RoutingHandler(SseService service, Function<RoutingContext, @Nullable ConnectOptions> options) {
    this.service = requireNonNull(service, "service");
    this.options = requireNonNull(options, "options");
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.GET) {
      ctx.response().putHeader("Allow", "GET"); // mounted with route(): other methods land here
      refuse(ctx, 405, "method not allowed: use GET");
      return;
    }
    ConnectOptions connectOptions;
    try {
      connectOptions = options.apply(ctx);
    } catch (IllegalArgumentException e) {
      refuse(ctx, 400, String.valueOf(e.getMessage()));
      return;
    }
    if (connectOptions == null) {
      // the function may have answered itself (a redirect to a login page) or failed the context
      if (!ctx.response().headWritten() && !ctx.failed()) {
        refuse(ctx, 403, "forbidden");
      }
      return;
    }
    if (service.isClosed()) {
      refuse(ctx, 503, "service is shutting down");
      return;
    }
    try {
      // Vert.x Web owns the response's end, close and exception handlers (its end handlers);
      // join them instead of replacing them
      VertxSse.connect(service, ctx.request(), connectOptions, gone -> ctx.addEndHandler(end -> {
        if (end.failed()) {
          gone.run();
        }
      }));
    } catch (IllegalStateException e) {
      if (!service.isClosed()) {
        throw e;
      }
      refuse(ctx, 503, "service is shutting down"); // closed between the check and the connect
    }
  }

  /**
   * Answers directly rather than with {@code ctx.fail}: Vert.x Web logs every failure without an
   * error handler as an unhandled exception, and these are ordinary client errors. An
   * application that wants its own answer gives it in the options function and returns null.
   */
  private static void refuse(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain;charset=utf-8")
        .end(message);
  }
}
