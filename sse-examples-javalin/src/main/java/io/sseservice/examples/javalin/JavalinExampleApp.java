package io.sseservice.examples.javalin;

import io.javalin.Javalin;
import io.sseservice.ConnectOptions;
import io.sseservice.InMemoryEventHistory;
import io.sseservice.SseService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sse-service in a Javalin 7 app: the seed's Express example, in Java. {@code GET /sse?user=ann}
 * opens a stream for user ann; {@code POST /notify/ann} (body: the message) reaches every device
 * of ann; {@code POST /broadcast} reaches everyone. Javalin runs on Jetty's Servlet stack, so the
 * Servlet adapter does the work through the few lines of {@link JavalinSse}.
 *
 * <p>Thread-safety: the app object is immutable after {@link #start(int)}.
 */
public final class JavalinExampleApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JavalinExampleApp.class);

  private final SseService service;
  private final Javalin app;

  private JavalinExampleApp(SseService service, Javalin app) {
    this.service = service;
    this.app = app;
  }

  /** Starts the app on {@code port} (0: any free port) of the loopback interface. */
  public static JavalinExampleApp start(int port) {
    SseService service = SseService.builder().history(InMemoryEventHistory.create()).build();
    Javalin app = Javalin.create(config -> {
      config.routes.get("/sse", ctx -> JavalinSse.connect(service, ctx,
          ConnectOptions.builder()
              .clientId(ctx.queryParam("user")) // in a real app: from the verified session or token
              .onDisconnect(() -> LOG.info("{} disconnected", ctx.queryParam("user")))
              .build()));
      config.routes.post("/notify/{user}", ctx ->
          ctx.result(Integer.toString(service.sendToClient(ctx.pathParam("user"), ctx.body()))));
      config.routes.post("/broadcast", ctx ->
          ctx.result(Integer.toString(service.sendToAll(ctx.body()))));
    }).start("127.0.0.1", port);
    return new JavalinExampleApp(service, app);
  }

  /** Returns the port the app listens on. */
  public int port() {
    return app.port();
  }

  /** Returns the app's service, e.g. to send from elsewhere in the app. */
  public SseService service() {
    return service;
  }

  /** Ends every stream (each client is told when to come back), then stops Javalin. */
  @Override
  public void close() {
    service.close();
    app.stop();
  }

  /** Runs the example on port 7070 (or the first argument) until the JVM stops. */
  public static void main(String[] args) {
    JavalinExampleApp example = start(args.length > 0 ? Integer.parseInt(args[0]) : 7070);
    Runtime.getRuntime().addShutdownHook(new Thread(example::close, "javalin-example-shutdown"));
    System.out.println("Javalin example: curl -N http://127.0.0.1:" + example.port()
        + "/sse?user=ann   and   curl -d hi http://127.0.0.1:" + example.port() + "/notify/ann");
  }
}
