package io.sseservice.examples.javalin;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.sseservice.ConnectOptions;
import io.sseservice.ConnectRefusedException;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import io.sseservice.servlet.ServletSse;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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
   * Returns a handler that opens a stream with the options {@code options} gives for the request,
   * answered like every adapter's ready handler: null from the function is 403, an
   * {@link IllegalArgumentException} from it (an empty client id...) is 400 with its message.
   */
  public static Handler handler(SseService service, Function<Context, ConnectOptions> options) {
    return ctx -> {
      ConnectOptions chosen;
      try {
        chosen = options.apply(ctx);
      } catch (IllegalArgumentException e) {
        ctx.status(400)
            .contentType("text/plain;charset=utf-8")
            .result(String.valueOf(e.getMessage()));
        return;
      }
      if (chosen == null) {
        ctx.status(403).contentType("text/plain;charset=utf-8").result("forbidden");
        return;
      }
      connect(service, ctx, chosen);
    };
  }

  /**
   * Opens an event stream on {@code ctx}; see {@link ServletSse#connect}. Returns null, having
   * answered the refusal's status (503 when the service is closed or full, 429 when the client
   * has its most connections) and its message, when the service refused the connect.
   */
  public static SseConnection connect(SseService service, Context ctx, ConnectOptions options) {
    CompletableFuture<Void> ended = new CompletableFuture<>();
    ctx.future(() -> ended);
    try {
      return ServletSse.connect(
          service,
          ctx.req(),
          ctx.res(),
          options.toBuilder().onDisconnect(() -> ended.complete(null)).build());
    } catch (ConnectRefusedException e) {
      ctx.status(e.status())
          .contentType("text/plain;charset=utf-8")
          .result(String.valueOf(e.getMessage()));
      ended.complete(null); // Javalin answers now
      return null;
    }
  }
}
