package io.sseservice.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.netty.readme.OwnPipelineExample;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests that Netty's HTTP decoder rejected are answered as Jetty answers them (431, 414, 400)
 * and never become a stream: a stream opened on a request whose headers were cut off would have
 * lost its {@code Last-Event-ID}, and with it the replay of what the client missed.
 */
class NettyDecoderIT {

  private static final String LAST_EVENT_ID = "Last-Event-ID: 42";

  private final SseService service = SseService.create();
  private final AtomicInteger admitted = new AtomicInteger();
  private NettySseServer server;

  @BeforeEach
  void start() {
    server =
        NettySseServer.builder(service)
            .host("127.0.0.1")
            .port(0)
            .path("/sse")
            .options(
                request -> {
                  admitted.incrementAndGet();
                  return ConnectOptions.defaults();
                })
            .start();
  }

  @AfterEach
  void stop() {
    service.close();
    server.close();
  }

  @Test
  void aCookieTooLargeIsAnswered431AndNeverStreamed() throws Exception {
    assertRefused(
        server.port(),
        431,
        "GET /sse HTTP/1.1\r\nHost: localhost\r\nCookie: c="
            + "x".repeat(9 * 1024)
            + "\r\n"
            + LAST_EVENT_ID
            + "\r\n\r\n");
  }

  @Test
  void aUriTooLongIsAnswered414() throws Exception {
    assertRefused(
        server.port(),
        414,
        "GET /sse?q=" + "x".repeat(5 * 1024) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
  }

  @Test
  void aNulInAHeaderIsAnswered400AndNeverStreamed() throws Exception {
    assertRefused(
        server.port(),
        400,
        "GET /sse HTTP/1.1\r\nHost: localhost\r\nX-Note: a\0b\r\n" + LAST_EVENT_ID + "\r\n\r\n");
  }

  @Test
  void aBadRequestLineIsAnswered400() throws Exception {
    assertRefused(server.port(), 400, "GET /sse HTTP/1.1 trailing words\r\nHost: x\r\n\r\n");
  }

  @Test
  void aTruncatedRequestIsNeverRegistered() throws Exception {
    try (RawHttpConnection raw = new RawHttpConnection(server.port())) {
      raw.sendRaw("GET /sse HTTP/1.1\r\nHost: localhost\r\n" + LAST_EVENT_ID + "\r\n");
      raw.shutdownOutput(); // the peer sent half a request and left

      assertThat(raw.readToEnd()).doesNotStartWith("HTTP/1.1 200");
    }
    assertThat(admitted).hasValue(0);
    assertThat(service.stats().connections()).isZero();
  }

  @Test
  void theServerStillServesAfterwards() throws Exception {
    aCookieTooLargeIsAnswered431AndNeverStreamed();
    try (RawHttpConnection raw = new RawHttpConnection(server.port())) {
      raw.sendRaw("GET /sse HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(raw.readHead().status()).isEqualTo(200);
      await().until(() -> service.stats().connections() == 1);
    }
  }

  @Test
  void connectRefusesARequestThatFailedToDecode() {
    DefaultFullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/sse");
    request.setDecoderResult(DecoderResult.failure(new TooLongFrameException("header too long")));
    EmbeddedChannel channel = new EmbeddedChannel();
    try {
      assertThatThrownBy(
              () -> NettySse.connect(service, channel, request, ConnectOptions.defaults()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("failed to decode")
          .hasMessageContaining("header too long");
      assertThat(service.stats().connections()).isZero();
    } finally {
      request.release();
      channel.finishAndReleaseAll();
    }
  }

  @Test
  void theOwnPipelineExampleRefusesARequestThatFailedToDecode() throws Exception {
    try (OwnPipelineExample example = OwnPipelineExample.start(0)) {
      assertRefused(
          example.port(),
          431,
          "GET /sse?user=ann HTTP/1.1\r\nHost: localhost\r\n"
              + "Cookie: c="
              + "x".repeat(9 * 1024)
              + "\r\n"
              + LAST_EVENT_ID
              + "\r\n\r\n");
      assertThat(example.service().stats().connections()).isZero();
    }
  }

  /** Sends {@code request}; asserts the answer {@code status}, the close, and no stream. */
  private void assertRefused(int port, int status, String request) throws Exception {
    try (RawHttpConnection raw = new RawHttpConnection(port)) {
      raw.sendRaw(request);
      RawHttpConnection.Response response = raw.read();
      assertThat(response.status()).isEqualTo(status);
      assertThat(raw.closedByServer()).isTrue();
    }
    assertThat(admitted).hasValue(0);
    assertThat(service.stats().connections()).isZero();
  }
}
