package io.sseservice.vertx.readme;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.vertx.VertxSse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;

/** The README's Vert.x snippet, compiled by the build (ReadmeSnippetsTest checks the README). */
final class VertxSnippet {

  private VertxSnippet() {}

  static void serve(Vertx vertx, SseService service) {
    Router router = Router.router(vertx);
    router.route().handler(CorsHandler.create());          // headers it sets pass through
    router.get("/sse").handler(VertxSse.handler(service, ctx ->
        ctx.user() == null ? null                          // null: 403
            : ConnectOptions.builder().clientId(ctx.user().subject()).build()));
    vertx.createHttpServer(new HttpServerOptions().setWriteIdleTimeout(60))  // see below
        .requestHandler(router).listen(8080);
  }
}
