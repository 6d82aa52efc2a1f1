package io.sseservice.webflux.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseservice.SseService;
import io.sseservice.test.SseTestClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * End to end on Spring Boot with Reactor Netty: the controller returns {@code WebFluxSse.connect}
 * and uses the starter's service; a real SSE client reads the stream.
 */
@SpringBootTest(
    classes = NotificationApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "sse.keep-alive-interval=300ms")
class WebFluxControllerIT {

  @Value("${local.server.port}")
  int port;

  @Autowired SseService service;

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  @Test
  void aUsersDevicesGetTheControllersEventsAsJson() throws Exception {
    try (SseTestClient phone = SseTestClient.connect(uri("/sse?user=ann"));
        SseTestClient laptop = SseTestClient.connect(uri("/sse?user=ann"))) {
      assertThat(phone.takeEvent().data()).isEqualTo("welcome ann");
      assertThat(laptop.takeEvent().data()).isEqualTo("welcome ann");

      HttpResponse<String> reached =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(uri("/notify/ann"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString("{\"unreadCount\":3}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(reached.body()).isEqualTo("{\"reached\":2}");
      assertThat(phone.takeEvent().data())
          .isEqualTo("{\"unreadCount\":3}"); // the app's ObjectMapper
      assertThat(laptop.takeEvent().data()).isEqualTo("{\"unreadCount\":3}");
      assertThat(phone.takeComment()).as("sse.keep-alive-interval applies").isEqualTo("ping");
    }
  }

  @SuppressWarnings("try") // the resource only has to stay open
  @Test
  void theResponseHasTheSseHeadersAndTheFiltersHeader() throws Exception {
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri("/sse?user=headers"))
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("text/event-stream;charset=utf-8");
      assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-cache");
      assertThat(response.headers().firstValue("X-Framework")).hasValue("kept");
    }
  }

  @Test
  void aClientThatLeavesIsDisconnected() {
    SseTestClient client = SseTestClient.connect(uri("/sse?user=bob"));
    assertThat(client.takeEvent().data()).isEqualTo("welcome bob");
    assertThat(service.client("bob")).isPresent();

    client.close();

    await().until(() -> service.client("bob").isEmpty());
  }
}
