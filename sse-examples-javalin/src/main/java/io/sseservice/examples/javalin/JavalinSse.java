package io.sseservice.examples.javalin;

import io.javalin.http.Context;
import io.sseservice.ConnectOptions;
import io.sseservice.ConnectRefusedException;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import io.sseservice.servlet.ServletSse;
import java.util.concurrent.CompletableFuture;

/**
 * Connects a Javalin request to an {@link SseService} (copy it into your app). Javalin completes
 * every async response as soon as its handler returns, unless the handler hands it a future; so
 * this gives Javalin one that completes when the stream ends, and lets the Servlet adapter do the
 * rest.
 *
 * <pre>{@code
 * config.routes.get("/sse", ctx -> JavalinSse.connect(service, ctx,
 *     ConnectOptions.builder().clientId(userIdFrom(ctx)).build()));
 * }</pre>
 *
 * <p>Thread-safety: stateless.
 */
public final class JavalinSse {

  private JavalinSse() {}

  /**
   * Opens an event stream on {@code ctx}; see {@link ServletSse#connect}. Returns null, having
   * answered 503, when the service is closed (or closing).
   */
  public static SseConnection connect(SseService service, Context ctx,
      ConnectOptions options) {
    CompletableFuture<Void> ended = new CompletableFuture<>();
    ctx.future(() -> ended);
    try {
      return ServletSse.connect(service, ctx.req(), ctx.res(),
          options.toBuilder().onDisconnect(() -> ended.complete(null)).build());
    } catch (ConnectRefusedException e) {
      ctx.status(e.status()).result("service is shutting down");
      ended.complete(null); // Javalin answers now
      return null;
    }
  }
}
