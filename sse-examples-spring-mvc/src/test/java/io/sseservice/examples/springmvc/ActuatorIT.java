package io.sseservice.examples.springmvc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sseservice.SseConnection;
import io.sseservice.test.SseTestClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The {@code sse} health indicator and actuator endpoint over real HTTP, with a real SSE client
 * connected (the example exposes {@code health,metrics,sse} and shows health details to
 * signed-in users).
 */
class ActuatorIT extends RunningExample {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void theHealthOfTheServiceCountsAConnectedClient() throws Exception {
    try (SseTestClient ann = clients.stream("ann")) {
      JsonNode health = getJson("/actuator/health/sse");

      assertThat(health.path("status").asText()).isEqualTo("UP");
      JsonNode details = health.path("details");
      assertThat(details.path("nodeId").asText()).isEqualTo(service.nodeId());
      assertThat(details.path("connections").asInt()).isEqualTo(1);
      assertThat(details.path("clients").asInt()).isEqualTo(1);
      assertThat(details.path("slowConsumerDisconnects").asLong()).isZero();
      assertThat(details.has("slowConsumerDisconnectsPerMinute")).isTrue();
      ann.takeComment(); // its reader runs: closing before that races
    }
  }

  @Test
  void theSseEndpointListsTheConnectedClient() throws Exception {
    try (SseTestClient ann = clients.stream("ann")) {
      SseConnection connection = service.client("ann").orElseThrow().connections().get(0);

      JsonNode all = getJson("/actuator/sse");
      assertThat(all.path("totals").path("connections").asInt()).isEqualTo(1);
      assertThat(all.path("truncated").asBoolean()).isFalse();
      JsonNode group = all.path("groups").path(0);
      assertThat(group.path("name").asText()).isEqualTo("default");
      JsonNode client = group.path("clients").path(0);
      assertThat(client.path("id").asText()).isEqualTo("ann");
      assertThat(client.path("connections").path(0).path("id").asText()).isEqualTo(connection.id());

      JsonNode one = getJson("/actuator/sse/default?limit=1");
      assertThat(one.path("clients").path(0).path("id").asText()).isEqualTo("ann");
      assertThat(one.path("clientCount").asInt()).isEqualTo(1);
      assertThat(status("bob", "/actuator/sse/nobody-here")).isEqualTo(404);
      ann.takeComment();
    }
  }

  @Test
  void theEndpointsNeedCredentials() throws Exception {
    assertThat(status(null, "/actuator/sse")).isEqualTo(401);
    assertThat(status(null, "/actuator/health/sse")).isEqualTo(401);
  }

  private JsonNode getJson(String path) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = clients.get(path, "bob");
    try (InputStream body = response.body()) {
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      return json.readTree(body);
    }
  }

  private int status(String user, String path) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = clients.get(path, user);
    response.body().close();
    return response.statusCode();
  }
}
