package io.sseservice.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseservice.netty.readme.OwnPipelineExample;
import io.sseservice.test.SseTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The README's runnable example of {@link NettySse#connect} in one's own pipeline, end to end. */
class OwnPipelineExampleIT {

  @Test
  void aNotificationPostedForAUserReachesTheirStream() throws Exception {
    try (OwnPipelineExample example = OwnPipelineExample.start(0);
        SseTestClient ann =
            SseTestClient.connect(
                URI.create("http://127.0.0.1:" + example.port() + "/sse?user=ann"))) {
      await().until(() -> example.service().client("ann").isPresent());

      HttpResponse<String> posted =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + example.port() + "/notify/ann"))
                      .POST(HttpRequest.BodyPublishers.ofString("hi ann"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(posted.statusCode()).isEqualTo(200);
      assertThat(posted.body()).isEqualTo("reached 1");
      assertThat(ann.takeEvent().data()).isEqualTo("hi ann");
    }
  }

  @Test
  void ordinaryRequestsShareOneKeepAliveConnection() throws Exception {
    try (OwnPipelineExample example = OwnPipelineExample.start(0);
        SseTestClient ann =
            SseTestClient.connect(
                URI.create("http://127.0.0.1:" + example.port() + "/sse?user=ann"));
        RawHttpConnection http = new RawHttpConnection(example.port())) {
      await().until(() -> example.service().client("ann").isPresent());

      assertThat(http.exchange("POST", "/notify/ann", "one").body()).isEqualTo("reached 1");
      assertThat(http.exchange("POST", "/notify/bob", "nobody").body()).isEqualTo("reached 0");
      assertThat(http.exchange("GET", "/nowhere", "").status()).isEqualTo(404);
      assertThat(http.exchange("POST", "/notify/ann", "two").body()).isEqualTo("reached 1");

      assertThat(ann.takeEvent().data()).isEqualTo("one");
      assertThat(ann.takeEvent().data()).isEqualTo("two");
    }
  }
}
