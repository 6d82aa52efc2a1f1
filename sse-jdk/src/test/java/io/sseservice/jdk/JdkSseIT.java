package io.sseservice.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.jackson.JacksonMessageCodec;
import io.sseservice.test.SseTestClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the JDK handler answers besides streams, and JSON end to end. */
class JdkSseIT {

  private final HttpClient http = HttpClient.newHttpClient();
  private SseService service;
  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws Exception {
    service =
        SseService.builder()
            .messageCodec(JacksonMessageCodec.create())
            .keepAliveInterval(Duration.ofSeconds(1))
            .build();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/sse",
        JdkSse.handler(
            service,
            exchange -> {
              String token = exchange.getRequestHeaders().getFirst("Authorization");
              if (token == null || !token.startsWith("Bearer ")) {
                return null; // refused: 403
              }
              return ConnectOptions.builder().clientId(token.substring(7)).build();
            }));
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    service.close();
    server.stop(0);
  }

  private int status(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void objectsArriveAsJsonForTheClientNamedByTheToken() {
    try (SseTestClient client =
        SseTestClient.connect(URI.create(base + "/sse"), Map.of("Authorization", "Bearer ann"))) {
      assertThat(service.sendToClient("ann", Map.of("unread", 3))).isEqualTo(1);
      assertThat(client.takeEvent().data()).isEqualTo("{\"unread\":3}");
    }
  }

  @Test
  void refusedWithoutTokenAndNothingRegistered() throws Exception {
    assertThat(status(HttpRequest.newBuilder(URI.create(base + "/sse")))).isEqualTo(403);
    assertThat(service.stats().connections()).isZero();
  }

  @Test
  void onlyGetIsAllowed() throws Exception {
    assertThat(
            status(
                HttpRequest.newBuilder(URI.create(base + "/sse"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer x")))
        .isEqualTo(405);
  }

  @Test
  void closedServiceAnswers503() throws Exception {
    service.close();
    assertThat(
            status(
                HttpRequest.newBuilder(URI.create(base + "/sse"))
                    .header("Authorization", "Bearer x")))
        .isEqualTo(503);
  }
}
