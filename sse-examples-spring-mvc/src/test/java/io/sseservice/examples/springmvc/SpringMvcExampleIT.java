package io.sseservice.examples.springmvc;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.sseservice.test.SseTestClient;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The example on its real embedded Tomcat, with real HTTP Basic and a real SSE client. */
class SpringMvcExampleIT extends RunningExample {

  @Autowired MeterRegistry meters;

  @Test
  void notifyReachesEveryDeviceOfThatUserAndNobodyElse() throws Exception {
    try (SseTestClient annPhone = clients.stream("ann");
        SseTestClient annLaptop = clients.stream("ann");
        SseTestClient bob = clients.stream("bob")) {

      HttpResponse<String> sent = clients.post("bob", "/notify/ann", "{\"text\":\"hi ann\"}");

      assertThat(sent.statusCode()).isEqualTo(200);
      assertThat(sent.body()).isEqualTo("{\"reached\":2}");
      assertThat(annPhone.takeEvent().data()).isEqualTo("{\"text\":\"hi ann\"}");
      assertThat(annLaptop.takeEvent().data()).isEqualTo("{\"text\":\"hi ann\"}");
      assertThat(bob.pollEvent(Duration.ofMillis(500))).isNull();
    }
  }

  @Test
  void broadcastReachesEveryUser() throws Exception {
    try (SseTestClient ann = clients.stream("ann");
        SseTestClient bob = clients.stream("bob")) {

      HttpResponse<String> sent = clients.post("ann", "/broadcast", "{\"maintenance\":true}");

      assertThat(sent.body()).isEqualTo("{\"reached\":2}");
      assertThat(ann.takeEvent().data()).isEqualTo("{\"maintenance\":true}");
      assertThat(bob.takeEvent().data()).isEqualTo("{\"maintenance\":true}");
    }
  }

  @Test
  void streamsNeedCredentials() throws Exception {
    HttpResponse<InputStream> response = clients.get("/sse", null);
    response.body().close();

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    assertThat(service.stats().connections()).isZero();
  }

  @Test
  void headersSetByFiltersPassThroughToTheStream() throws Exception {
    HttpResponse<InputStream> response = clients.get("/sse", "ann");
    response.body().close(); // the headers are all this test reads

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(
            v ->
                assertThat(v.replace(" ", "").toLowerCase())
                    .isEqualTo("text/event-stream;charset=utf-8"));
    assertThat(response.headers().firstValue(RequestIdFilter.HEADER)).isPresent();
    // Spring Security's no-store header writer must not override the stream's no-cache
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-cache");
  }

  @Test
  void theConnectionsGaugeCountsOpenStreams() {
    try (SseTestClient annPhone = clients.stream("ann");
        SseTestClient annLaptop = clients.stream("ann");
        SseTestClient bob = clients.stream("bob")) {
      assertThat(meters.get("sse.connections").gauge().value()).isEqualTo(3);
      assertThat(meters.get("sse.clients").gauge().value()).isEqualTo(2);
      // a keep-alive on each proves its reader runs: closing a client before that races
      annPhone.takeComment();
      annLaptop.takeComment();
      bob.takeComment();
    }
  }
}
