package io.sseservice.examples.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.test.SseTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example app's own routes: notify one user's devices, broadcast to all. */
class JavalinExampleAppIT {

  private final HttpClient http = HttpClient.newHttpClient();
  private JavalinExampleApp app;

  @BeforeEach
  void start() {
    app = JavalinExampleApp.start(0);
  }

  @AfterEach
  void stop() {
    app.close();
  }

  private String post(String path, String body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private SseTestClient stream(String user) {
    return SseTestClient.connect(
        URI.create("http://127.0.0.1:" + app.port() + "/sse?user=" + user));
  }

  @Test
  void notifyReachesEveryDeviceOfOneUserAndBroadcastReachesAll() throws Exception {
    try (SseTestClient phone = stream("ann");
        SseTestClient laptop = stream("ann");
        SseTestClient bob = stream("bob")) {
      assertThat(post("/notify/ann", "for ann")).isEqualTo("2");
      assertThat(post("/broadcast", "for all")).isEqualTo("3");

      assertThat(phone.takeEvent().data()).isEqualTo("for ann");
      assertThat(laptop.takeEvent().data()).isEqualTo("for ann");
      assertThat(bob.takeEvent().data()).isEqualTo("for all");
      assertThat(phone.takeEvent().data()).isEqualTo("for all");
    }
  }
}
