package io.sseservice.vertx;

import static io.sseservice.vertx.VertxTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.TransportCompatibilityKit;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.util.Map;
import java.util.function.Function;

/** The transport compatibility kit on a Vert.x HTTP/1.1 server behind a Vert.x Web router. */
class VertxTransportIT extends TransportCompatibilityKit {

  private Vertx vertx;

  @Override
  protected URI startServer(
      SseService service, Function<Map<String, String>, ConnectOptions> options) throws Exception {
    assertThat(VertxTestSupport.vertxVersion())
        .startsWith(System.getProperty("expected.vertx", "5."));
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    Router router = Router.router(vertx);
    router
        .get("/sse")
        .handler(
            ctx -> {
              // what earlier handlers (CORS, security) do: passed through, ours win on the same
              // name
              ctx.response()
                  .putHeader(FRAMEWORK_HEADER, "kept")
                  .putHeader("Cache-Control", "private");
              ctx.next();
            });
    router
        .get("/sse")
        .handler(
            VertxSse.handler(service, ctx -> options.apply(parseQuery(ctx.request().query()))));
    HttpServer server =
        await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/sse");
  }

  @Override
  protected void stopServer() throws Exception {
    await(vertx.close());
  }
}
