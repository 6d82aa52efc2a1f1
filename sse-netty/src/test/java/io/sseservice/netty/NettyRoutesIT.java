package io.sseservice.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.SseLines;
import io.sseservice.test.SseTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application's own endpoints next to the stream on {@link NettySseServer}: routes, the
 * fallback handler, 404 and 405, keep-alive, blocking routes on a route executor, and all of it
 * over HTTP/2 too.
 */
class NettyRoutesIT {

  private final SseService service = SseService.create();
  private final ExecutorService blocking = Executors.newFixedThreadPool(2);
  private NettySseServer server;

  @BeforeEach
  void start() {
    server =
        NettySseServer.builder(service)
            .host("127.0.0.1")
            .port(0)
            .path("/sse")
            .options(
                request ->
                    ConnectOptions.builder()
                        .clientId(
                            new QueryStringDecoder(request.uri()).parameters().get("user").get(0))
                        .build())
            .route(
                HttpMethod.POST,
                "/publish",
                request ->
                    text(
                        HttpResponseStatus.OK,
                        "reached " + service.sendToAll(request.content().toString(UTF_8))))
            .route(HttpMethod.GET, "/health", request -> text(HttpResponseStatus.OK, "ok"))
            .route(
                HttpMethod.GET,
                "/boom",
                request -> {
                  throw new IllegalStateException(
                      "a bug in the route (this test's, expected in the log)");
                })
            .fallback(Hello::new)
            .start();
  }

  @AfterEach
  void stop() {
    service.close();
    server.close();
    blocking.shutdownNow();
  }

  @Test
  void aPublishRouteReachesTheStreamsNextToIt() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (SseTestClient ann = SseTestClient.connect(uri("/sse?user=ann"));
        SseTestClient bob = SseTestClient.connect(uri("/sse?user=bob"))) {
      await().until(() -> service.stats().connections() == 2);

      HttpResponse<String> published =
          http.send(
              HttpRequest.newBuilder(uri("/publish"))
                  .POST(HttpRequest.BodyPublishers.ofString("hello"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(published.statusCode()).isEqualTo(200);
      assertThat(published.body()).isEqualTo("reached 2");
      assertThat(ann.takeEvent().data()).isEqualTo("hello");
      assertThat(bob.takeEvent().data()).isEqualTo("hello");
    }
  }

  @Test
  void oneKeepAliveConnectionServesRoutesErrorsAndTheFallbackInTurn() throws Exception {
    try (SseTestClient ann = SseTestClient.connect(uri("/sse?user=ann"));
        RawHttpConnection http = new RawHttpConnection(server.port())) {
      await().until(() -> service.client("ann").isPresent());

      assertThat(http.exchange("POST", "/publish", "one").body()).isEqualTo("reached 1");
      assertThat(http.exchange("GET", "/boom", ""))
          .as("a route that throws")
          .extracting(RawHttpConnection.Response::status, RawHttpConnection.Response::body)
          .containsExactly(500, "internal error");
      RawHttpConnection.Response wrongMethod = http.exchange("GET", "/publish", "");
      assertThat(wrongMethod.status()).isEqualTo(405);
      assertThat(wrongMethod.headers()).containsEntry("allow", "POST");
      assertThat(http.exchange("HEAD", "/health", "").status()).isEqualTo(405);
      assertThat(http.exchange("GET", "/nowhere", ""))
          .as("neither route nor fallback")
          .extracting(RawHttpConnection.Response::status, RawHttpConnection.Response::body)
          .containsExactly(404, "no such path");
      assertThat(http.exchange("GET", "/hello?x=1", "").body())
          .isEqualTo("hello; on the event loop: true");
      RawHttpConnection.Response last = http.exchange("POST", "/publish", "two");
      assertThat(last.body()).as("the same connection still serves").isEqualTo("reached 1");
      assertThat(last.headers()).doesNotContainKey("connection");

      assertThat(ann.takeEvent().data()).isEqualTo("one");
      assertThat(ann.takeEvent().data()).isEqualTo("two");
    }
  }

  @Test
  void aRequestAskingForCloseGetsItsAnswerThenTheClose() throws Exception {
    try (RawHttpConnection http = new RawHttpConnection(server.port())) {
      RawHttpConnection.Response response =
          http.exchange("GET", "/health", "", "Connection: close");

      assertThat(response.body()).isEqualTo("ok");
      assertThat(response.headers()).containsEntry("connection", "close");
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void theStreamPathAnswersOtherMethodsAsBefore() throws Exception {
    try (RawHttpConnection http = new RawHttpConnection(server.port())) {
      RawHttpConnection.Response head = http.exchange("HEAD", "/sse?user=ann", "");

      assertThat(head.status()).isEqualTo(405);
      assertThat(head.headers()).containsEntry("allow", "GET");
      assertThat(http.closedByServer()).isTrue();
    }
    assertThatThrownBy(
            NettySseServer.builder(service)
                    .path("/sse")
                    .route(HttpMethod.POST, "/sse", request -> text(HttpResponseStatus.OK, ""))
                ::start)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/sse");
  }

  @Test
  void aFallbackThatThrowsClosesOnlyItsOwnConnection() throws Exception {
    try (RawHttpConnection broken = new RawHttpConnection(server.port());
        RawHttpConnection other = new RawHttpConnection(server.port())) {
      broken.exchange("GET", "/health", "");
      other.exchange("GET", "/health", "");

      broken.send("GET", "/fallback-boom", "");

      assertThat(broken.closedByServer()).isTrue();
      assertThat(other.exchange("GET", "/health", "").body()).isEqualTo("ok");
    }
  }

  @Test
  void routesTheFallbackAndTheStreamShareOneHttp2Connection() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> health = get(http, "/health"); // upgrades the connection to h2c
    HttpResponse<Stream<String>> stream =
        http.send(
            HttpRequest.newBuilder(uri("/sse?user=ann")).build(),
            HttpResponse.BodyHandlers.ofLines());
    await().until(() -> service.client("ann").isPresent());

    HttpResponse<String> published =
        http.send(
            HttpRequest.newBuilder(uri("/publish"))
                .POST(HttpRequest.BodyPublishers.ofString("over h2"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(List.of(health, published))
        .allSatisfy(
            response -> assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2));
    assertThat(stream.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(health.body()).isEqualTo("ok");
    assertThat(published.body()).isEqualTo("reached 1");
    Iterator<String> lines = stream.body().iterator();
    assertThat(SseLines.nextData(lines)).isEqualTo("over h2");
    assertThat(get(http, "/boom").statusCode()).isEqualTo(500);
    assertThat(get(http, "/nowhere").statusCode()).isEqualTo(404);
    HttpResponse<String> hello = get(http, "/hello");
    assertThat(hello.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(hello.body()).isEqualTo("hello; on the event loop: true");
    assertThat(get(http, "/health").body()).as("the connection still serves").isEqualTo("ok");
    stream.body().close();
  }

  @Test
  void blockingRoutesRunOnTheRouteExecutorAndAnswerPipelinedRequestsInOrder() throws Exception {
    CountDownLatch unblock = new CountDownLatch(1);
    try (NettySseServer blockingServer =
            NettySseServer.builder(service)
                .host("127.0.0.1")
                .port(0)
                .workerThreads(1) // one loop: a route blocking it would stop the stream below too
                .options(request -> ConnectOptions.builder().clientId("ann").build())
                .routeExecutor(blocking)
                .route(
                    HttpMethod.GET,
                    "/slow",
                    request -> {
                      try {
                        unblock.await(10, TimeUnit.SECONDS); // what a database call would do
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return text(
                          HttpResponseStatus.OK, "slow, on " + Thread.currentThread().getName());
                    })
                .route(HttpMethod.GET, "/fast", request -> text(HttpResponseStatus.OK, "fast"))
                .start();
        SseTestClient ann =
            SseTestClient.connect(
                URI.create("http://127.0.0.1:" + blockingServer.port() + "/sse"));
        RawHttpConnection http = new RawHttpConnection(blockingServer.port())) {
      await().until(() -> service.client("ann").isPresent());

      http.send("GET", "/slow", "");
      http.send("GET", "/fast", ""); // pipelined behind the slow one
      http.send("GET", "/nowhere", "");
      service.sendToAll("while a route blocks");

      assertThat(ann.takeEvent().data()).isEqualTo("while a route blocks");
      unblock.countDown();
      assertThat(http.read().body()).startsWith("slow, on pool-");
      assertThat(http.read().body()).isEqualTo("fast");
      assertThat(http.read().status()).isEqualTo(404);
      assertThat(http.exchange("GET", "/fast", "").body()).as("reading again").isEqualTo("fast");
    }
  }

  private HttpResponse<String> get(HttpClient http, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  private static FullHttpResponse text(HttpResponseStatus status, String text) {
    return new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(text, UTF_8));
  }

  /** The application's fallback: {@code /hello}, a bug at {@code /fallback-boom}, else on. */
  private static final class Hello extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      String path = new QueryStringDecoder(request.uri()).path();
      if (path.equals("/fallback-boom")) {
        throw new IllegalStateException("a bug in the fallback (this test's, expected in the log)");
      }
      if (!path.equals("/hello")) {
        ctx.fireChannelRead(request.retain()); // not ours: 404 at the end of the pipeline
        return;
      }
      FullHttpResponse response =
          text(
              HttpResponseStatus.OK,
              "hello; on the event loop: " + ctx.channel().eventLoop().inEventLoop());
      HttpUtil.setContentLength(response, response.content().readableBytes());
      if (HttpUtil.isKeepAlive(request)) {
        ctx.writeAndFlush(response);
      } else {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}
