package io.sseservice.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.netty.readme.OwnPipelineExample;
import io.sseservice.test.SseTestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The application's own routes next to the stream: on NettySseServer, and in one's own pipeline. */
class NettyRoutesIT {

  private final SseService service = SseService.create();
  private NettySseServer server;

  @AfterEach
  void stop() {
    service.close();
    if (server != null) {
      server.close();
    }
  }

  private void startServer() {
    server = NettySseServer.builder(service).host("127.0.0.1").port(0).path("/sse")
        .options(request -> ConnectOptions.builder()
            .clientId(new QueryStringDecoder(request.uri()).parameters().get("user").get(0)).build())
        .route(HttpMethod.POST, "/publish", request -> {
          int reached = service.sendToAll(request.content().toString(UTF_8));
          return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
              Unpooled.copiedBuffer("reached " + reached, UTF_8));
        })
        .route(HttpMethod.GET, "/boom", request -> {
          throw new IllegalStateException("a bug in the route");
        })
        .start();
  }

  @Test
  void aPublishRouteNextToTheStreamReachesItAndKeepsItsConnectionOpen() throws Exception {
    startServer();
    try (SseTestClient ann = SseTestClient.connect(
            URI.create("http://127.0.0.1:" + server.port() + "/sse?user=ann"));
        Socket socket = new Socket("127.0.0.1", server.port())) {
      await().until(() -> service.client("ann").isPresent());
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
      OutputStream out = socket.getOutputStream();

      assertThat(exchange(out, in, "POST /publish", "one")).containsExactly("200", "reached 1");
      assertThat(exchange(out, in, "GET /boom", "")).as("a throwing route")
          .containsExactly("500", "internal error");
      assertThat(exchange(out, in, "POST /publish", "two")).as("the same connection still serves")
          .containsExactly("200", "reached 1");
      assertThat(exchange(out, in, "GET /publish", "")).containsExactly("405", "method not allowed: use POST");

      assertThat(ann.takeEvent().data()).isEqualTo("one");
      assertThat(ann.takeEvent().data()).isEqualTo("two");
    }
  }

  @Test
  void unknownPathsGet404AndARouteCannotTakeTheStreamPath() throws Exception {
    startServer();
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
      assertThat(exchange(socket.getOutputStream(), in, "GET /nowhere", ""))
          .containsExactly("404", "no such path");
    }
    NettySseServer.Builder clash = NettySseServer.builder(service).path("/sse")
        .route(HttpMethod.POST, "/sse", request -> null);
    org.assertj.core.api.Assertions.assertThatThrownBy(clash::start)
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/sse");
  }

  @Test
  void theOwnPipelineExampleServesStreamsAndNotifications() throws Exception {
    try (OwnPipelineExample example = OwnPipelineExample.start(0);
        SseTestClient ann = SseTestClient.connect(
            URI.create("http://127.0.0.1:" + example.port() + "/sse?user=ann"));
        Socket socket = new Socket("127.0.0.1", example.port())) {
      await().until(() -> example.service().client("ann").isPresent());
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));

      assertThat(exchange(socket.getOutputStream(), in, "POST /notify/ann", "hi"))
          .containsExactly("200", "reached 1");

      assertThat(ann.takeEvent().data()).isEqualTo("hi");
    }
  }

  /** Sends one HTTP/1.1 request on the socket; returns the status code and the body. */
  private static List<String> exchange(OutputStream out, BufferedReader in, String requestLine,
      String body) throws Exception {
    byte[] bytes = body.getBytes(UTF_8);
    out.write((requestLine + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + bytes.length
        + "\r\n\r\n").getBytes(UTF_8));
    out.write(bytes);
    out.flush();
    String status = in.readLine().split(" ")[1];
    int length = 0;
    for (String header = in.readLine(); !header.isEmpty(); header = in.readLine()) {
      if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(header.substring(15).trim());
      }
    }
    char[] content = new char[length];
    int read = 0;
    while (read < length) {
      read += in.read(content, read, length - read);
    }
    return List.of(status, new String(content));
  }
}
