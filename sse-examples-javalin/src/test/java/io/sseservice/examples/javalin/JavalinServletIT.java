package io.sseservice.examples.javalin;

import io.javalin.Javalin;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.TransportCompatibilityKit;
import java.net.URI;
import java.util.Map;
import java.util.function.Function;

/** The transport compatibility kit through Javalin 7: a before-handler plays the framework. */
class JavalinServletIT extends TransportCompatibilityKit {

  private Javalin app;

  @Override
  protected URI startServer(
      SseService service, Function<Map<String, String>, ConnectOptions> options) {
    app =
        Javalin.create(
                config -> {
                  config.routes.before(
                      "/sse",
                      ctx -> {
                        ctx.header(FRAMEWORK_HEADER, "kept");
                        ctx.header("Cache-Control", "private");
                      });
                  config.routes.get(
                      "/sse",
                      JavalinSse.handler(
                          service, ctx -> options.apply(parseQuery(ctx.req().getQueryString()))));
                })
            .start("127.0.0.1", 0);
    return URI.create("http://127.0.0.1:" + app.port() + "/sse");
  }

  /** Javalin runs on Jetty: a gone client is noticed by the second write after its FIN. */
  @Override
  protected int writesToNoticeAGoneClient() {
    return 2;
  }

  @Override
  protected void stopServer() {
    app.stop();
  }
}
