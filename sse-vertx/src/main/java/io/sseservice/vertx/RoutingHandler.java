package io.sseservice.vertx;

import static java.util.Objects.requireNonNull;

import io.sseservice.ConnectOptions;
import io.sseservice.ConnectRefusedException;
import io.sseservice.SseService;
import io.sseservice.internal.Admission;
import io.vertx.core.Handler;
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
    Admission.Decision decision =
        Admission.decide(service, ctx.request().method().name(), () -> options.apply(ctx));
    if (decision.refused()) {
      // a refusing function may have answered itself (a redirect to a login page) or failed
      // the context
      if (!decision.optionsRefused() || (!ctx.response().headWritten() && !ctx.failed())) {
        refuse(ctx, decision);
      }
      return;
    }
    try {
      // Vert.x Web owns the response's end, close and exception handlers (its end handlers);
      // join them instead of replacing them
      VertxSse.connect(
          service,
          ctx.request(),
          decision.admitted(),
          gone ->
              ctx.addEndHandler(
                  end -> {
                    if (end.failed()) {
                      gone.run();
                    }
                  }));
    } catch (ConnectRefusedException e) {
      refuse(ctx, Admission.refusal(e)); // lost the race with close(): the response is untouched
    }
  }

  /**
   * Answers directly rather than with {@code ctx.fail}: Vert.x Web logs every failure without an
   * error handler as an unhandled exception, and these are ordinary client errors. An
   * application that wants its own answer gives it in the options function and returns null.
   */
  private static void refuse(RoutingContext ctx, Admission.Decision decision) {
    decision.headers().forEach(ctx.response()::putHeader);
    ctx.response()
        .setStatusCode(decision.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain;charset=utf-8")
        .end(decision.message());
  }
}
