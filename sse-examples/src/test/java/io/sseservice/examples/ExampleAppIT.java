package io.sseservice.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sseservice.test.ReceivedEvent;
import io.sseservice.test.SseTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example app end to end: a real server (Netty) on a free port, real SSE clients
 * (okhttp-eventsource through {@link SseTestClient}) and {@link HttpClient} for the API.
 *
 * <p>Isolation is checked without sleeping: after an event that must not reach a device, a second
 * event that must reach it is sent, and the device's next event has to be the second one.
 */
class ExampleAppIT {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<SseTestClient> streams = new ArrayList<>();
  private ExampleApp app;

  /** One connected device: its stream and who the welcome event said it is. */
  private record Device(SseTestClient stream, String connectionId, String clientId, String group) {
    ReceivedEvent next() {
      return stream.takeEvent();
    }
  }

  @BeforeEach
  void start() {
    // no ticker: every event these tests see is one they sent (the ticker has its own test)
    app = ExampleApp.start(0, Duration.ZERO);
  }

  @AfterEach
  void stop() {
    streams.forEach(SseTestClient::close);
    if (app != null) {
      app.close();
    }
  }

  // ---- the page ----

  @Test
  void servesTheSelfContainedPageAtRoot() throws Exception {
    HttpResponse<String> page = get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp -> assertThat(csp).contains("default-src 'none'", "connect-src 'self'"));
    assertThat(page.body())
        .contains("new EventSource('/sse?")
        .contains("addEventListener(type, showEvent)")
        .contains(
            "/api/send-to-client",
            "/api/send-to-connection",
            "/api/send-to-all",
            "/api/metadata",
            "/api/clients",
            "/api/client",
            "/api/stats")
        .doesNotContain("<script src", "<link rel=\"stylesheet\"", "http://", "https://");
  }

  @Test
  void thePageExplainsTicksAndListensForEveryEventNameItsFormsCanSend() {
    String page = get("/").body();

    // the tick events are explained, and a second tab suggested, on the page itself
    assertThat(page).contains("id=\"about-ticks\"", "<code>tick</code>", "second tab");
    // a tab hears a named event only with a listener for that name, so the forms offer a fixed
    // list of names (no free text) and every tab listens for all of them from the start
    assertThat(occurrences(page, "name=\"event\""))
        .isEqualTo(3)
        .isEqualTo(occurrences(page, "<select name=\"event\">"));
    assertThat(page)
        .contains(
            "document.querySelectorAll('select[name=event] option')",
            "types.add(option.value)",
            "types.forEach((type) => es.addEventListener(type, showEvent))");
    // generated ids (36-character UUIDs) get fields wide enough, copyable; checkboxes are not
    // styled as text fields
    assertThat(page)
        .contains(
            "input.id { width: min(100%, 38ch)",
            "button.copy", "input[type=checkbox] { width: auto");
    // the live count of connections, and a page in the back/forward cache closes its stream
    assertThat(page).contains("refreshStats", "'pagehide', disconnect");
  }

  @Test
  void unknownPathsGetJson404AndOtherMethodsOnAPathGet405() {
    HttpResponse<String> favicon = get("/favicon.ico");
    HttpResponse<String> postPage =
        send(HttpRequest.newBuilder(uri("/")).POST(BodyPublishers.ofString("x")));
    HttpResponse<String> postStream =
        send(HttpRequest.newBuilder(uri("/sse")).POST(BodyPublishers.ofString("x")));

    assertThat(favicon.statusCode()).isEqualTo(404);
    assertThat(favicon.headers().firstValue("Content-Type"))
        .hasValue("application/json;charset=utf-8");
    assertThat(error(favicon)).contains("/favicon.ico");
    assertThat(postPage.statusCode()).isEqualTo(405);
    assertThat(postPage.headers().firstValue("Allow")).hasValue("GET");
    assertThat(postStream.statusCode()).isEqualTo(405);
    assertThat(postStream.headers().firstValue("Allow")).hasValue("GET");
  }

  // ---- sending ----

  @Test
  void sendToClientReachesEveryDeviceOfThatClientInItsGroupOnly() {
    Device phone = connect("clientId=alice&name=Phone");
    Device laptop = connect("clientId=alice&group=default&name=Laptop");
    Device bob = connect("clientId=bob&group=ops");

    assertThat(
            reached(
                post(
                    "/api/send-to-client",
                    "clientId",
                    "alice",
                    "message",
                    "hi",
                    "event",
                    "greeting",
                    "id",
                    "7")))
        .isEqualTo(2);
    for (Device device : List.of(phone, laptop)) {
      assertThat(device.next()).isEqualTo(new ReceivedEvent("greeting", "hi", "7"));
    }
    // bob is in another group: without the group he is not found, with it he is
    assertThat(reached(post("/api/send-to-client", "clientId", "bob", "message", "x"))).isZero();
    assertThat(
            reached(
                post(
                    "/api/send-to-client",
                    "clientId",
                    "bob",
                    "group",
                    "ops",
                    "message",
                    "for bob")))
        .isEqualTo(1);
    assertThat(bob.next().data()).isEqualTo("for bob");
  }

  @Test
  void sendToAllStaysInsideTheGroup() {
    Device phone = connect("clientId=alice&name=Phone");
    Device laptop = connect("clientId=alice&name=Laptop");
    Device bob = connect("clientId=bob&group=ops");

    assertThat(reached(post("/api/send-to-all", "group", "ops", "message", "ops only")))
        .isEqualTo(1);
    assertThat(reached(post("/api/send-to-all", "message", "default group", "event", "news")))
        .isEqualTo(2);

    assertThat(phone.next())
        .extracting(ReceivedEvent::event, ReceivedEvent::data)
        .containsExactly("news", "default group");
    assertThat(laptop.next())
        .extracting(ReceivedEvent::event, ReceivedEvent::data)
        .containsExactly("news", "default group");
    assertThat(bob.next().data()).isEqualTo("ops only");
    assertThat(reached(post("/api/send-to-all", "group", "ops", "message", "again"))).isEqualTo(1);
    assertThat(bob.next().data()).isEqualTo("again");
  }

  @Test
  void sendToConnectionReachesThatDeviceOnly() {
    Device phone = connect("clientId=alice&name=Phone");
    Device laptop = connect("clientId=alice&name=Laptop");
    Device bob = connect("clientId=bob&group=ops");

    assertThat(
            reached(
                post(
                    "/api/send-to-connection",
                    "connectionId",
                    phone.connectionId(),
                    "message",
                    "just the phone",
                    "event",
                    "ping")))
        .isEqualTo(1);
    assertThat(reached(post("/api/send-to-client", "clientId", "alice", "message", "both")))
        .isEqualTo(2);

    assertThat(phone.next())
        .extracting(ReceivedEvent::event, ReceivedEvent::data)
        .containsExactly("ping", "just the phone");
    assertThat(phone.next().data()).isEqualTo("both");
    assertThat(laptop.next().data()).isEqualTo("both");

    assertThat(
            reached(
                post(
                    "/api/send-to-connection",
                    "connectionId",
                    bob.connectionId(),
                    "group",
                    "ops",
                    "message",
                    "ops device")))
        .isEqualTo(1);
    assertThat(bob.next().data()).isEqualTo("ops device");
  }

  @Test
  void sendToConnectionAnswers404ForAConnectionNotInTheGroup() {
    Device bob = connect("clientId=bob&group=ops");

    HttpResponse<String> wrongGroup =
        post("/api/send-to-connection", "connectionId", bob.connectionId(), "message", "x");
    HttpResponse<String> unknown =
        post(
            "/api/send-to-connection",
            "connectionId",
            "no-such-id",
            "group",
            "ops",
            "message",
            "x");

    assertThat(wrongGroup.statusCode()).isEqualTo(404);
    assertThat(error(wrongGroup)).contains(bob.connectionId(), "default");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(error(unknown)).contains("no-such-id");
  }

  @Test
  void jsonTrueSendsTheParsedValueThroughTheJacksonCodec() {
    Device phone = connect("clientId=alice");
    String text = "{ \"n\" : 1, \"tags\" : [\"a\", \"b\"], \"nested\": {\"ok\": true} }";

    assertThat(
            reached(
                post("/api/send-to-client", "clientId", "alice", "message", text, "json", "true")))
        .isEqualTo(1);
    assertThat(reached(post("/api/send-to-client", "clientId", "alice", "message", text)))
        .isEqualTo(1);

    // re-encoded by Jackson: compact, same content
    assertThat(phone.next().data())
        .isEqualTo("{\"n\":1,\"tags\":[\"a\",\"b\"],\"nested\":{\"ok\":true}}");
    // without json=true the text goes out exactly as given
    assertThat(phone.next().data()).isEqualTo(text);

    HttpResponse<String> invalid = post("/api/send-to-all", "message", "{oops", "json", "true");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(error(invalid)).startsWith("message: not valid JSON");
  }

  // ---- the registry ----

  @Test
  void clientsListsTheGroupsClientsWithMetadataAndConnectionIds() {
    Device phone = connect("clientId=alice&name=Phone");
    Device laptop = connect("clientId=alice&name=Laptop");
    Device bob = connect("clientId=bob&group=ops&name=Bob");

    JsonNode defaults = json(get("/api/clients"));
    JsonNode ops = json(get("/api/clients?group=ops"));
    JsonNode nobody = json(get("/api/clients?group=empty"));

    assertThat(defaults).hasSize(1);
    JsonNode alice = defaults.get(0);
    assertThat(alice.get("id").asText()).isEqualTo("alice");
    assertThat(alice.get("group").asText()).isEqualTo("default");
    assertThat(texts(alice.get("connections")))
        .containsExactly(phone.connectionId(), laptop.connectionId());
    // each device's name and user agent are its connection's own: a second device adds its
    // own and changes neither the first one's nor the client's (set by /api/metadata only)
    assertThat(alice.get("metadata")).isEmpty();
    JsonNode devices = alice.get("connectionInfo");
    assertThat(devices).hasSize(2);
    assertThat(devices.get(0).get("id").asText()).isEqualTo(phone.connectionId());
    assertThat(devices.get(0).at("/metadata/name").asText()).isEqualTo("Phone");
    assertThat(devices.get(1).get("id").asText()).isEqualTo(laptop.connectionId());
    assertThat(devices.get(1).at("/metadata/name").asText()).isEqualTo("Laptop");
    assertThat(devices.get(1).at("/metadata/userAgent").asText()).isNotBlank();
    assertThat(Instant.parse(devices.get(1).get("connectedAt").asText()))
        .isBetween(Instant.now().minusSeconds(60), Instant.now());

    assertThat(ops).hasSize(1);
    assertThat(ops.get(0).get("id").asText()).isEqualTo("bob");
    assertThat(texts(ops.get(0).get("connections"))).containsExactly(bob.connectionId());
    assertThat(nobody).isEmpty();
  }

  @Test
  void clientFindsOneClientInItsGroupOr404() {
    connect("clientId=alice");
    connect("clientId=bob&group=ops");

    HttpResponse<String> alice = get("/api/client?clientId=alice");
    HttpResponse<String> bobInDefault = get("/api/client?clientId=bob");
    HttpResponse<String> bobInOps = get("/api/client?clientId=bob&group=ops");
    HttpResponse<String> missing = get("/api/client");

    assertThat(alice.statusCode()).isEqualTo(200);
    assertThat(json(alice).get("id").asText()).isEqualTo("alice");
    assertThat(bobInDefault.statusCode()).isEqualTo(404);
    assertThat(error(bobInDefault)).contains("bob", "default");
    assertThat(bobInOps.statusCode()).isEqualTo(200);
    assertThat(json(bobInOps).get("group").asText()).isEqualTo("ops");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(error(missing)).contains("clientId");
  }

  @Test
  void metadataReplacesTheClientsMetadataFromAFormOrAJsonBody() {
    connect("clientId=alice&name=Phone");
    connect("clientId=bob&group=ops");

    HttpResponse<String> form =
        post("/api/metadata", "clientId", "alice", "meta", "{\"role\": \"admin\", \"level\": 3}");
    HttpResponse<String> body =
        send(
            HttpRequest.newBuilder(uri("/api/metadata?clientId=bob&group=ops"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"team\": \"ops\"}")));

    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(json(form).get("metadata")).isEqualTo(json("{\"role\":\"admin\",\"level\":3}"));
    assertThat(json(get("/api/client?clientId=alice")).get("metadata"))
        .isEqualTo(json("{\"role\":\"admin\",\"level\":3}"));
    assertThat(body.statusCode()).isEqualTo(200);
    assertThat(json(get("/api/client?clientId=bob&group=ops")).get("metadata"))
        .isEqualTo(json("{\"team\":\"ops\"}"));

    HttpResponse<String> notAnObject = post("/api/metadata", "clientId", "alice", "meta", "[1]");
    HttpResponse<String> unknown = post("/api/metadata", "clientId", "carol", "meta", "{}");
    assertThat(notAnObject.statusCode()).isEqualTo(400);
    assertThat(error(notAnObject)).startsWith("meta:").contains("object");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(error(unknown)).contains("carol");
  }

  @Test
  void statsCountConnectionsClientsGroupsAndEvents() {
    connect("clientId=alice");
    connect("clientId=alice");
    connect("clientId=bob&group=ops");

    JsonNode before = json(get("/api/stats"));
    reached(post("/api/send-to-client", "clientId", "alice", "message", "hi"));
    JsonNode after = json(get("/api/stats"));

    assertThat(before.get("connections").asInt()).isEqualTo(3);
    assertThat(before.get("clients").asInt()).isEqualTo(2);
    assertThat(before.get("groups").asInt()).isEqualTo(2);
    assertThat(before.get("eventsSent").asLong()).isEqualTo(3); // the three welcome events
    assertThat(after.get("eventsSent").asLong()).isEqualTo(5);
    assertThat(after.get("eventsDropped").asLong()).isZero();
    assertThat(after.has("slowConsumerDisconnects")).isTrue();
  }

  @Test
  void aConnectWithoutParametersGetsAGeneratedIdInTheDefaultGroup() {
    Device anonymous = connect("");

    assertThat(anonymous.clientId()).isNotBlank();
    assertThat(anonymous.group()).isEqualTo("default");
    JsonNode client = json(get("/api/client?clientId=" + encode(anonymous.clientId())));
    assertThat(client.at("/connectionInfo/0/metadata/name").asText()).isEqualTo("anonymous");
  }

  @Test
  void aClosedTabLeavesItsClientAndTheStatsAtOnceWithoutAnyWrite() {
    Device phone = connect("clientId=alice");
    Device laptop = connect("clientId=alice");
    assertThat(json(get("/api/stats")).get("connections").asInt()).isEqualTo(2);

    laptop.stream().close();
    // nothing is sent to alice (the ticker is off and the keep-alive is 20 s away): the server
    // notices the closed socket itself, as a closed browser tab, and the page's stats drop it
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> assertThat(json(get("/api/stats")).get("connections").asInt()).isEqualTo(1));

    assertThat(texts(json(get("/api/client?clientId=alice")).get("connections")))
        .containsExactly(phone.connectionId());
    assertThat(reached(post("/api/send-to-client", "clientId", "alice", "message", "x")))
        .isEqualTo(1);
  }

  // ---- bad input ----

  @Test
  void badInputGets400WithAMessageNamingTheProblem() {
    connect("clientId=alice");

    HttpResponse<String> newlineEvent =
        post(
            "/api/send-to-client",
            "clientId",
            "alice",
            "message",
            "x",
            "event",
            "evil\ndata: injected");
    HttpResponse<String> newlineId = post("/api/send-to-all", "message", "x", "id", "1\n2");
    HttpResponse<String> noMessage = post("/api/send-to-all", "event", "news");
    HttpResponse<String> noClientId = post("/api/send-to-client", "message", "x");

    assertThat(newlineEvent.statusCode()).isEqualTo(400);
    assertThat(error(newlineEvent)).startsWith("event:");
    assertThat(newlineId.statusCode()).isEqualTo(400);
    assertThat(error(newlineId)).startsWith("id:");
    assertThat(noMessage.statusCode()).isEqualTo(400);
    assertThat(error(noMessage)).contains("'message'");
    assertThat(noClientId.statusCode()).isEqualTo(400);
    assertThat(error(noClientId)).contains("'clientId'");
    for (HttpResponse<String> response : List.of(newlineEvent, newlineId, noMessage, noClientId)) {
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/json;charset=utf-8");
      assertThat(response.body()).doesNotContain("\tat ", "Exception");
    }
  }

  @Test
  void wrongMethodsAndBodiesAreRefusedWithJson() {
    HttpResponse<String> getOnPost = get("/api/send-to-all");
    HttpResponse<String> jsonBody =
        send(
            HttpRequest.newBuilder(uri("/api/send-to-all"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"message\": \"x\"}")));
    HttpResponse<String> prefix = get("/api/stats/more");
    HttpResponse<String> tooLarge = post("/api/send-to-all", "message", "x".repeat(70 * 1024));

    assertThat(getOnPost.statusCode()).isEqualTo(405);
    assertThat(getOnPost.headers().firstValue("Allow")).hasValue("POST");
    assertThat(prefix.headers().firstValue("Content-Type"))
        .hasValue("application/json;charset=utf-8");
    assertThat(jsonBody.statusCode()).isEqualTo(415);
    assertThat(error(jsonBody)).contains("application/x-www-form-urlencoded");
    assertThat(prefix.statusCode()).isEqualTo(404);
    assertThat(tooLarge.statusCode()).isEqualTo(413); // the server's 64 KiB aggregation bound
  }

  // ---- lifecycle ----

  @Test
  void theTickerSendsTickEventsToTheDefaultGroup() {
    try (ExampleApp ticking = ExampleApp.start(0, Duration.ofMillis(100))) {
      SseTestClient stream = SseTestClient.connect(ticking.uri().resolve("/sse?clientId=t"));
      streams.add(stream);
      // a tick may slip in before the welcome event, so look at the first few events
      ReceivedEvent tick = null;
      for (int i = 0; i < 3 && tick == null; i++) {
        ReceivedEvent event = stream.takeEvent(Duration.ofSeconds(5));
        assertThat(event.event()).isIn("welcome", "tick");
        tick = event.event().equals("tick") ? event : null;
      }

      assertThat(tick).as("a tick event").isNotNull();
      assertThat(Instant.parse(json(tick.data()).get("time").asText()))
          .isBetween(Instant.now().minusSeconds(60), Instant.now());
    }
  }

  @Test
  void closeEndsTheStreamsAndStopsTheServer() {
    Device phone = connect("clientId=alice");
    URI page = app.uri();

    app.close();
    app.close(); // idempotent

    phone.stream().awaitEnd();
    assertThatThrownBy(
            () -> http.send(HttpRequest.newBuilder(page).build(), BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void startOnATakenPortFailsWithThePort() {
    int taken = app.port();
    assertThatThrownBy(() -> ExampleApp.start(taken))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(Integer.toString(taken));
  }

  @Test
  void thePortComesFromTheArgumentThenPortThenTheDefault() {
    assertThat(ExampleApp.port(new String[] {"0"}, "9090")).isZero();
    assertThat(ExampleApp.port(new String[0], "9090")).isEqualTo(9090);
    assertThat(ExampleApp.port(new String[0], null)).isEqualTo(8080);
    assertThat(ExampleApp.port(new String[0], " ")).isEqualTo(8080);
    assertThatThrownBy(() -> ExampleApp.port(new String[] {"http"}, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"http\"");
    assertThatThrownBy(() -> ExampleApp.port(new String[] {"70000"}, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- helpers ----

  /** Connects to {@code /sse?query} and reads the welcome event that names the connection. */
  private Device connect(String query) {
    SseTestClient stream = SseTestClient.connect(uri("/sse?" + query));
    streams.add(stream);
    ReceivedEvent welcome = stream.takeEvent();
    assertThat(welcome.event()).isEqualTo("welcome");
    JsonNode who = json(welcome.data());
    return new Device(
        stream,
        who.get("connectionId").asText(),
        who.get("clientId").asText(),
        who.get("group").asText());
  }

  private URI uri(String pathAndQuery) {
    return app.uri().resolve(pathAndQuery);
  }

  private HttpResponse<String> get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
  }

  /** POSTs a form body built from name, value, name, value... (as the page does). */
  private HttpResponse<String> post(String path, String... namesAndValues) {
    StringJoiner form = new StringJoiner("&");
    for (int i = 0; i < namesAndValues.length; i += 2) {
      form.add(encode(namesAndValues[i]) + "=" + encode(namesAndValues[i + 1]));
    }
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(BodyPublishers.ofString(form.toString())));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Returns {@code reached} of a successful send. */
  private static int reached(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode reached = json(response).get("reached");
    assertThat(reached).as(response.body()).isNotNull();
    return reached.asInt();
  }

  private static String error(HttpResponse<String> response) {
    return json(response).get("error").asText();
  }

  private static JsonNode json(HttpResponse<String> response) {
    return json(response.body());
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, UTF_8);
  }
}
