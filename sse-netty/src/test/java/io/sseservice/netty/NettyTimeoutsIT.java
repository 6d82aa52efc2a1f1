package io.sseservice.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sseservice.SseService;
import io.sseservice.test.SseTestClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The header-read and idle timeouts of {@link NettySseServer}: silent sockets, half-sent requests
 * and idle keep-alive connections are closed (the half-sent request answered 408), while an event
 * stream outlives both timeouts. (Without them, 100 of each were all still open after 200 s.)
 */
class NettyTimeoutsIT {

  private static final Duration REQUEST_READ = Duration.ofMillis(500);
  private static final Duration IDLE = Duration.ofMillis(800);

  private final SseService service =
      SseService.builder().keepAliveInterval(Duration.ofMillis(200)).build();
  private NettySseServer server;

  @BeforeEach
  void start() {
    server =
        NettySseServer.builder(service)
            .host("127.0.0.1")
            .port(0)
            .requestReadTimeout(REQUEST_READ)
            .idleTimeout(IDLE)
            .route(
                HttpMethod.GET,
                "/health",
                request ->
                    new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1,
                        HttpResponseStatus.OK,
                        Unpooled.copiedBuffer("ok", StandardCharsets.UTF_8)))
            .start();
  }

  @AfterEach
  void stop() {
    service.close();
    server.close();
  }

  @Test
  void aSilentSocketIsClosedWithoutAnAnswer() throws Exception {
    try (RawHttpConnection raw = new RawHttpConnection(server.port())) {
      assertThat(raw.readToEnd()).isEmpty(); // the server closed it (the socket waits 10 s)
    }
  }

  @Test
  void halfARequestIsAnswered408AndClosed() throws Exception {
    try (RawHttpConnection raw = new RawHttpConnection(server.port())) {
      raw.sendRaw("GET /sse HTTP/1.1\r\nHost: localhost\r\nLast-Event-ID: 4");

      assertThat(raw.read().status()).isEqualTo(408);
      assertThat(raw.closedByServer()).isTrue();
    }
    assertThat(service.stats().connections()).isZero();
  }

  @Test
  void aRequestWhoseBodyNeverComesIsAnswered408() throws Exception {
    try (RawHttpConnection raw = new RawHttpConnection(server.port())) {
      raw.sendRaw("POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nabc");

      assertThat(raw.read().status()).isEqualTo(408);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterItsRequests() throws Exception {
    try (RawHttpConnection raw = new RawHttpConnection(server.port())) {
      assertThat(raw.exchange("GET", "/health", "").body()).isEqualTo("ok");
      assertThat(raw.exchange("GET", "/health", "").body()).isEqualTo("ok");

      assertThat(raw.readToEnd()).isEmpty(); // closed, nothing more said
    }
  }

  @Test
  void aStreamOutlivesBothTimeouts() throws Exception {
    try (SseTestClient client =
        SseTestClient.connect(URI.create("http://127.0.0.1:" + server.port() + "/sse"))) {
      await().until(() -> service.stats().connections() == 1);
      long opened = System.nanoTime();
      long past = 3 * IDLE.toNanos(); // the keep-alive comments are the clock
      while (System.nanoTime() - opened < past) {
        client.takeComment();
      }

      service.sendToAll("still here");

      assertThat(client.takeEvent().data()).isEqualTo("still here");
      assertThat(client.opens()).isEqualTo(1);
    }
  }

  @Test
  void negativeTimeoutsAreRefused() {
    assertThatThrownBy(() -> NettySseServer.builder(service).idleTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idleTimeout");
    assertThatThrownBy(
            () -> NettySseServer.builder(service).requestReadTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestReadTimeout");
  }
}
