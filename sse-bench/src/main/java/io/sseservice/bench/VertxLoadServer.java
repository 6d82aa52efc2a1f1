package io.sseservice.bench;

import io.sseservice.SseService;
import io.sseservice.vertx.VertxSse;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.ServerSocket;
import java.util.function.IntConsumer;

/**
 * The load tool's {@code vertx} server: {@code VertxSse.handler} on a Vert.x Web router, as the
 * README shows it, in one verticle instance per core (Vert.x's way to use every core; one server
 * alone runs on one event loop), all listening on one port. Thread-safety: {@link #start} is
 * called once, by the load server's main thread.
 */
final class VertxLoadServer {

  private VertxLoadServer() {}

  /** Starts the server; tells its port to {@code port}; returns what stops it. */
  static Runnable start(SseService service, IntConsumer port) throws Exception {
    int bound;
    try (ServerSocket probe = new ServerSocket(0)) { // one port shared by every instance
      bound = probe.getLocalPort();
    }
    Vertx vertx = Vertx.vertx();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx
        .deployVerticle(
            () -> new Streams(service, bound), new DeploymentOptions().setInstances(instances))
        .toCompletionStage()
        .toCompletableFuture()
        .get();
    port.accept(bound);
    return () -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** One instance: a router with the stream route, and an HTTP server on the shared port. */
  private static final class Streams extends VerticleBase {
    private final SseService service;
    private final int port;

    Streams(SseService service, int port) {
      this.service = service;
      this.port = port;
    }

    @Override
    public Future<?> start() {
      Router router = Router.router(vertx);
      router
          .get("/sse")
          .handler(VertxSse.handler(service, ctx -> BenchService.options(ctx.request().query())));
      return vertx
          .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setAcceptBacklog(8192))
          .requestHandler(router)
          .listen(port);
    }
  }
}
