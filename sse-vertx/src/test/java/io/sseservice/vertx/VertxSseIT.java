package io.sseservice.vertx;

import static io.sseservice.test.SseLines.readUntil;
import static io.sseservice.vertx.VertxTestSupport.await;
import static io.sseservice.vertx.VertxTestSupport.readToEnd;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseservice.CloseReason;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.RecordingListener;
import io.sseservice.test.SseLines;
import io.sseservice.test.SseTestClient;
import io.sseservice.test.TransportProbe;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.StreamResetException;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the Vert.x adapter adds to the kit: the route handler's refusals, HTTP/2 and HTTP/1.0,
 * peers that stop reading, many streams on one event loop.
 */
class VertxSseIT {

  private final RecordingListener listener = new RecordingListener();
  private final TransportProbe probe = new TransportProbe();
  private final SseService service =
      SseService.builder().listener(listener).transportDecorator(probe).build();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Set<String> handlerThreads = ConcurrentHashMap.newKeySet();
  private Vertx vertx;
  private String base;

  @AfterEach
  void stop() throws Exception {
    service.close();
    if (vertx != null) {
      await(vertx.close());
    }
  }

  /** A router with the refusal cases of {@link VertxSse#handler}, on one event loop. */
  private void startRouter() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Router router = Router.router(vertx);
    router
        .get("/sse")
        .handler(
            VertxSse.handler(
                service,
                ctx -> {
                  handlerThreads.add(Thread.currentThread().getName());
                  String mode = ctx.queryParams().get("mode");
                  if ("deny".equals(mode)) {
                    return null;
                  }
                  if ("bad".equals(mode)) {
                    throw new IllegalArgumentException("bad group");
                  }
                  if ("fail".equals(mode)) { // the application's own refusal
                    ctx.fail(401);
                    return null;
                  }
                  if ("login".equals(mode)) { // answered by the function itself
                    ctx.redirect("/login");
                    return null;
                  }
                  return ConnectOptions.builder()
                      .clientId(ctx.queryParams().get("clientId"))
                      .group(ctx.queryParams().get("group"))
                      .build();
                }));
    router.route("/any").handler(VertxSse.handler(service, ctx -> ConnectOptions.defaults()));
    start(vertx.createHttpServer().requestHandler(router));
  }

  private void start(HttpServer server) throws Exception {
    base = "http://127.0.0.1:" + await(server.listen(0, "127.0.0.1")).actualPort();
  }

  private HttpResponse<String> request(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void handlerRefusesWithTheRightStatus() throws Exception {
    startRouter();
    HttpResponse<String> denied = request("GET", "/sse?mode=deny");
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).isEqualTo("forbidden");
    HttpResponse<String> bad = request("GET", "/sse?mode=bad");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).isEqualTo("bad group");
    assertThat(request("GET", "/sse?mode=fail").statusCode()).isEqualTo(401);
    assertThat(request("GET", "/sse?mode=login").statusCode()).isEqualTo(302);
    assertThat(request("POST", "/sse").statusCode()).isEqualTo(405); // the router's own answer
    HttpResponse<String> post = request("POST", "/any"); // route() for every method: ours
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    assertThat(service.stats().connections()).isZero();

    service.close();
    assertThat(request("GET", "/sse?clientId=late").statusCode()).isEqualTo(503);
  }

  @Test
  void streamsOverHttp2WithoutConnectionHeader() throws Exception {
    startRouter();
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<Stream<String>> first =
        h2.send(
            HttpRequest.newBuilder(URI.create(base + "/sse?clientId=ann")).build(),
            HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> second =
        h2.send(
            HttpRequest.newBuilder(URI.create(base + "/sse?clientId=bob")).build(),
            HttpResponse.BodyHandlers.ofLines());

    assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2); // upgraded (h2c)
    assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(first.headers().firstValue("content-type"))
        .hasValue("text/event-stream;charset=utf-8");
    assertThat(first.headers().firstValue("connection")).isEmpty();
    await().until(() -> service.stats().connections() == 2);
    // the HTTP/2 codec would drop a Connection header itself, so the response alone cannot show
    // the adapter's decision: check what the adapter's transport told the service
    assertThat(probe.transports())
        .hasSize(2)
        .allSatisfy(
            t -> {
              assertThat(t.connectionHeaderDecision()).isFalse();
              assertThat(t.openHeaders()).doesNotContainKey("Connection");
            });

    service.sendToClient("ann", "for ann");
    service.sendToClient("bob", "for bob");
    Iterator<String> ann = first.body().iterator();
    assertThat(SseLines.nextData(ann)).isEqualTo("for ann");
    assertThat(SseLines.nextData(second.body().iterator())).isEqualTo("for bob");

    service.client("ann").orElseThrow().connections().get(0).close();
    while (ann.hasNext()) {
      ann.next(); // the stream must end
    }
    second.body().close();
    await().until(() -> service.stats().connections() == 0);
  }

  @Test
  void aStuckHttp2StreamIsResetWhileItsConnectionServesOthers() throws Exception {
    startRouter();
    URI uri = URI.create(base);
    // prior-knowledge h2c with a 1 KiB stream window: a paused response stops the server's stream
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)
                .setInitialSettings(new Http2Settings().setInitialWindowSize(1024)));
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    HttpClientResponse stuck =
        await(
            client
                .request(HttpMethod.GET, uri.getPort(), uri.getHost(), "/sse?clientId=h2stuck")
                .compose(
                    request ->
                        request
                            .send()
                            .map(
                                response -> {
                                  response.pause(); // reads nothing more, so grants no more window
                                  response.exceptionHandler(failures::add);
                                  return response;
                                })));
    assertThat(stuck.version()).isEqualTo(HttpVersion.HTTP_2);

    String kib = "x".repeat(1024);
    for (int sent = 0; sent < 50_000 && service.client("h2stuck").isPresent(); sent++) {
      service.sendToClient("h2stuck", kib);
    }
    assertThat(listener.takeDisconnect().reason()).isEqualTo(CloseReason.SLOW_CONSUMER);
    await().until(() -> !failures.isEmpty());
    assertThat(failures.get(0))
        .isInstanceOfSatisfying(
            StreamResetException.class,
            reset -> assertThat(reset.getCode()).isEqualTo(8)); // CANCEL

    // the connection itself lives on: a new stream on it gets its events
    StringBuffer received = new StringBuffer();
    HttpClientResponse next =
        await(
            client
                .request(HttpMethod.GET, uri.getPort(), uri.getHost(), "/sse?clientId=h2next")
                .compose(
                    request ->
                        request
                            .send()
                            .map(
                                response -> {
                                  response.handler(chunk -> received.append(chunk.toString(UTF_8)));
                                  return response;
                                })));
    assertThat(next.request().connection()).isSameAs(stuck.request().connection());
    await().until(() -> service.client("h2next").isPresent());
    service.sendToClient("h2next", "still here");
    await().until(() -> received.indexOf("data: still here\n\n") >= 0);
  }

  @Test
  void streamsOverHttp10UntilTheConnectionCloses() throws Exception {
    startRouter();
    URI uri = URI.create(base);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /sse?clientId=old HTTP/1.0\r\n\r\n".getBytes(UTF_8));
      InputStream in = socket.getInputStream();
      await().until(() -> service.client("old").isPresent());
      service.sendToClient("old", "hi");
      service.client("old").orElseThrow().connections().get(0).close();

      String response = readToEnd(in); // HTTP/1.0: the body ends with the connection
      assertThat(response)
          .startsWith("HTTP/1.0 200")
          .contains("data: hi\n\n")
          .doesNotContainIgnoringCase("transfer-encoding")
          .doesNotContainIgnoringCase("connection:");
    }
  }

  @Test
  void manyStreamsOnOneEventLoopThread() throws Exception {
    startRouter();
    int streams = 200;
    List<Socket> sockets = new ArrayList<>();
    URI uri = URI.create(base);
    try {
      for (int i = 0; i < streams; i++) {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
        socket.setSoTimeout(10_000);
        socket
            .getOutputStream()
            .write(
                ("GET /sse?clientId=c"
                        + i
                        + "&group=many HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(UTF_8));
        sockets.add(socket);
      }
      await().until(() -> service.clients("many").size() == streams);
      assertThat(handlerThreads).hasSize(1); // every stream was opened on the one event loop

      // sent from this thread: every write hops to the one event loop
      assertThat(service.sendToAll("to everyone", null, "many")).isEqualTo(streams);
      String head = readHead(sockets.get(0).getInputStream()).toLowerCase();
      assertThat(head)
          .startsWith("http/1.1 200")
          .contains("transfer-encoding: chunked")
          .contains("connection: keep-alive"); // the JDK client hides it, so it is checked here
      for (Socket socket : sockets) {
        assertThat(readUntil(socket.getInputStream(), "data: to everyone\n")).isTrue();
      }
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    await().until(() -> service.stats().connections() == 0); // every close noticed
  }

  /**
   * Vert.x closes an HTTP/1.x connection only after what it queued went out, so a peer that
   * stopped reading keeps its socket open after the cut; a write idle timeout frees it, and the
   * keep-alive comments keep healthy idle streams clear of that timeout.
   */
  @Test
  void aStuckPeerIsCutAndTheWriteIdleTimeoutClosesItsSocket() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    SseService small =
        SseService.builder()
            .maxQueuedBytes(64 * 1024)
            .keepAliveInterval(Duration.ofMillis(300))
            .listener(listener)
            .build();
    AtomicInteger closedConnections = new AtomicInteger();
    start(
        vertx
            .createHttpServer(new HttpServerOptions().setWriteIdleTimeout(2))
            .connectionHandler(c -> c.closeHandler(v -> closedConnections.incrementAndGet()))
            .requestHandler(
                request ->
                    VertxSse.connect(
                        small,
                        request,
                        ConnectOptions.builder().clientId(request.getParam("clientId")).build())));
    URI uri = URI.create(base);
    try (Socket stuck = new Socket();
        SseTestClient healthy = SseTestClient.connect(URI.create(base + "/?clientId=idle"))) {
      stuck.setReceiveBufferSize(1024);
      stuck.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
      stuck
          .getOutputStream()
          .write(
              ("GET /?clientId=stuck HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                  .getBytes(UTF_8)); // and never reads
      await().until(() -> small.client("stuck").isPresent());
      String kib = "x".repeat(1024);
      for (int sent = 0; sent < 50_000 && small.client("stuck").isPresent(); sent++) {
        small.sendToClient("stuck", kib);
      }
      assertThat(small.client("stuck")).isEmpty();
      assertThat(listener.takeDisconnect().reason()).isEqualTo(CloseReason.SLOW_CONSUMER);

      await().atMost(Duration.ofSeconds(10)).until(() -> closedConnections.get() == 1);
      long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < until) {
        assertThat(healthy.takeComment()).isEqualTo("ping");
      }
      assertThat(closedConnections).hasValue(1);
      assertThat(small.client("idle")).isPresent();
    } finally {
      small.close();
    }
  }

  private static String readHead(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
