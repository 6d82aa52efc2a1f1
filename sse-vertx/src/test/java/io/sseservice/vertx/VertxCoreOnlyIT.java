package io.sseservice.vertx;

import static io.sseservice.test.SseLines.readUntil;
import static io.sseservice.vertx.VertxTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sseservice.CloseReason;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.RecordingListener;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link VertxSse#connect} with Vert.x core alone: the {@code vertx-core-only} run of the pom
 * removes Vert.x Web from the class path, proving it optional.
 */
class VertxCoreOnlyIT {

  private final RecordingListener listener = new RecordingListener();
  private final SseService service = SseService.builder().listener(listener).build();
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private String base;

  @BeforeEach
  void startVertx() {
    if (Boolean.getBoolean("expect.no.vertx.web")) {
      assertThatThrownBy(() -> Class.forName("io.vertx.ext.web.Router"))
          .isInstanceOf(ClassNotFoundException.class);
    }
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
    await(vertx.close());
  }

  private void start(HttpServer server) throws Exception {
    base = "http://127.0.0.1:" + await(server.listen(0, "127.0.0.1")).actualPort();
  }

  @Test
  void connectWorksInAPlainRequestHandler() throws Exception {
    start(
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  request.response().putHeader("X-Plain", "kept").putHeader("Content-Length", "12");
                  VertxSse.connect(
                      service,
                      request,
                      ConnectOptions.builder().clientId(request.getParam("clientId")).build());
                }));

    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/?clientId=raw")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("X-Plain")).hasValue("kept");
      assertThat(response.headers().firstValue("Content-Length")).isEmpty();
      await().until(() -> service.client("raw").isPresent());
      service.sendToClient("raw", "plain");
      assertThat(readUntil(body, "data: plain\n\n")).isTrue();
    }
    // the response's own close handler reports the gone peer
    assertThat(listener.takeDisconnect().reason()).isEqualTo(CloseReason.PEER_GONE);
    assertThat(service.client("raw")).isEmpty();
  }

  @Test
  void connectOffTheContextIsRefused() throws Exception {
    CompletableFuture<HttpServerRequest> handed = new CompletableFuture<>();
    start(vertx.createHttpServer().requestHandler(handed::complete));
    CompletableFuture<HttpResponse<String>> response =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(base + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpServerRequest request = handed.get(10, TimeUnit.SECONDS);

    assertThatThrownBy(() -> VertxSse.connect(service, request, ConnectOptions.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Vert.x context");
    assertThat(service.stats().connections()).isZero();
    request.response().setStatusCode(500).end();
    assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(500);
  }

  @Test
  void connectFromABlockingTaskOfTheContextMovesToTheEventLoop() throws Exception {
    start(
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    vertx.executeBlocking(
                        () ->
                            // e.g. after a blocking credentials check; this runs on a worker thread
                            VertxSse.connect(
                                service,
                                request,
                                ConnectOptions.builder().clientId("worker").build()))));

    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      assertThat(response.statusCode()).isEqualTo(200);
      await().until(() -> service.client("worker").isPresent());
      service.sendToClient("worker", "hopped");
      assertThat(readUntil(body, "data: hopped\n\n")).isTrue();
    }
  }
}
