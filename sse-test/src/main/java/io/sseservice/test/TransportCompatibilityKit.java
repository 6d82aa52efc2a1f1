package io.sseservice.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseservice.CloseReason;
import io.sseservice.ConnectOptions;
import io.sseservice.InMemoryEventHistory;
import io.sseservice.SseClient;
import io.sseservice.SseConnection;
import io.sseservice.SseEvent;
import io.sseservice.SseService;
import io.sseservice.Target;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The behaviour every adapter must show over a real socket, read by a real SSE client. An
 * adapter's test extends this class and starts its server in {@link #startServer}; the kit does
 * the rest.
 *
 * <pre>{@code
 * class JdkTransportIT extends TransportCompatibilityKit {
 *   protected URI startServer(SseService service, Function<Map<String, String>, ConnectOptions> options) {...}
 *   protected void stopServer() {...}
 * }
 * }</pre>
 *
 * <p>Thread-safety: a JUnit test class; JUnit makes one instance per test.
 */
public abstract class TransportCompatibilityKit {

  /** The header the server under test sets on the response before connecting. */
  public static final String FRAMEWORK_HEADER = "X-Framework";

  protected SseService service;
  protected RecordingListener listener;

  /** Records every transport the adapter makes, and breaks them on demand. */
  protected final TransportProbe probe = new TransportProbe();

  /** "clientId:reason" for every per-connection disconnect callback that ran. */
  protected final Queue<String> callbacks = new ConcurrentLinkedQueue<>();

  private URI uri;
  private final List<SseTestClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Starts a server on port 0 whose GET on the returned URI (any query string allowed) sets the
   * response headers {@code X-Framework: kept} and {@code Cache-Control: private} the way the
   * host framework would, then connects the exchange to {@code service} with the options that
   * {@code options} returns for the query parameters.
   */
  protected abstract URI startServer(
      SseService service, Function<Map<String, String>, ConnectOptions> options) throws Exception;

  /** Stops the server started by {@link #startServer}. */
  protected abstract void stopServer() throws Exception;

  /** Adjusts the service under test; the kit's defaults suit most adapters. */
  protected SseService.Builder configure(SseService.Builder builder) {
    return builder;
  }

  /**
   * How soon after a client closed its socket (idle stream, keep-alive far longer than the test)
   * the adapter must have noticed: the connection left the registry and its disconnect callback
   * ran. An adapter whose server cannot tell sooner overrides this with its honest figure and
   * says why; the kit still asserts it.
   */
  protected Duration goneClientNoticedWithin() {
    return Duration.ofSeconds(5);
  }

  /**
   * 0 (the default) when the adapter notices a closed socket by itself, on an idle stream;
   * otherwise the number of writes after the close at which its server reports the peer gone.
   * A server that is told of nothing but failed writes overrides this with its honest figure
   * (TCP accepts the first write after the peer's FIN; the peer's answer, a reset, fails the
   * second), and the kit then sends events one by one after the close and asserts that the
   * connection ended by that write at the latest, within {@link #goneClientNoticedWithin()}.
   */
  protected int writesToNoticeAGoneClient() {
    return 0;
  }

  /** The keep-alive of a test marked {@link LongKeepAlive}: far longer than any test runs. */
  protected static final Duration LONG_KEEP_ALIVE = Duration.ofMinutes(10);

  /**
   * Marks a test whose service sends keep-alives only every {@link #LONG_KEEP_ALIVE}, so nothing
   * is written on an idle stream while the test runs (the kit's default of 200 ms would let any
   * adapter notice a gone client through a failed keep-alive).
   */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
  protected @interface LongKeepAlive {}

  /**
   * Marks a test whose service lets one client have only {@link #FEW_CONNECTIONS_PER_CLIENT}
   * connections, so that a test reaches the limit with a few real clients.
   */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
  protected @interface FewConnectionsPerClient {}

  /** The per-client connection limit of a test marked {@link FewConnectionsPerClient}. */
  protected static final int FEW_CONNECTIONS_PER_CLIENT = 2;

  @BeforeEach
  void startKit(TestInfo test) throws Exception {
    listener = new RecordingListener();
    boolean longKeepAlive =
        test.getTestMethod()
            .map(method -> method.isAnnotationPresent(LongKeepAlive.class))
            .orElse(false);
    boolean fewPerClient =
        test.getTestMethod()
            .map(method -> method.isAnnotationPresent(FewConnectionsPerClient.class))
            .orElse(false);
    service =
        configure(
                SseService.builder()
                    .maxConnectionsPerClient(
                        fewPerClient
                            ? FEW_CONNECTIONS_PER_CLIENT
                            : SseService.Builder.DEFAULT_MAX_CONNECTIONS_PER_CLIENT)
                    .transportDecorator(probe)
                    .keepAliveInterval(longKeepAlive ? LONG_KEEP_ALIVE : Duration.ofMillis(200))
                    .maxQueuedBytes(64 * 1024)
                    .maxEventBytes(
                        8 << 20) // a write far larger than the socket buffers: 4 MiB, below
                    .writeTimeout(Duration.ofSeconds(5))
                    .messageCodec(message -> "codec:" + message)
                    .history(InMemoryEventHistory.create())
                    .retry(Duration.ofMillis(100))
                    .listener(listener))
            .build();
    uri = startServer(service, this::options);
  }

  @AfterEach
  void stopKit() throws Exception {
    clients.forEach(SseTestClient::close);
    service.close();
    stopServer();
  }

  /** Connects a real SSE client with the given query string (e.g. {@code clientId=a&group=g}). */
  protected SseTestClient connect(String query) {
    SseTestClient client = SseTestClient.connect(URI.create(uri + "?" + query));
    clients.add(client);
    return client;
  }

  /** The response header naming the client, which lets a test find its transport. */
  public static final String CLIENT_HEADER = "X-Kit-Client";

  private ConnectOptions options(Map<String, String> query) {
    if (query.containsKey("delay")) {
      // a slow options function (an auth check over the network): a window for close() races
      try {
        Thread.sleep(Long.parseLong(query.get("delay")));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (query.containsKey("closeServiceNow")) {
      // the service closes while this request is in its options function
      SseService closing = service;
      new Thread(closing::close, "kit-closer").start();
      await().until(closing::isClosed);
    }
    ConnectOptions.Builder options =
        ConnectOptions.builder()
            .clientId(query.get("clientId"))
            .header(CLIENT_HEADER, String.valueOf(query.get("clientId")))
            .group(query.get("group"))
            .onDisconnect(
                (connection, reason) -> callbacks.add(connection.client().id() + ":" + reason));
    Map<String, Object> metadata = new LinkedHashMap<>();
    query.forEach(
        (key, value) -> {
          if (key.startsWith("meta.")) {
            metadata.put(key.substring(5), value);
          }
        });
    return (metadata.isEmpty() ? options : options.metadata(metadata)).build();
  }

  /** Parses a raw query string into a map; adapters use it in {@link #startServer}. */
  public static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(decode(key), decode(value));
    }
    return params;
  }

  /** Decodes one part of a query; one that is not validly percent-encoded stays as it came. */
  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, UTF_8);
    } catch (IllegalArgumentException e) {
      return raw; // a malformed escape: the adapter under test must cope with it, not the kit
    }
  }

  @Test
  void sendToClientReachesEveryDeviceOfThatClientOnly() {
    SseTestClient phone = connect("clientId=alice");
    SseTestClient laptop = connect("clientId=alice");
    SseTestClient bob = connect("clientId=bob");

    assertThat(service.client("alice").orElseThrow().connections()).hasSize(2);
    assertThat(service.sendToClient("alice", "for alice")).isEqualTo(2);
    assertThat(service.sendToClient("bob", "for bob")).isEqualTo(1);
    assertThat(service.sendToClient("nobody", "lost")).isZero();

    assertThat(phone.takeEvent().data()).isEqualTo("for alice");
    assertThat(laptop.takeEvent().data()).isEqualTo("for alice");
    assertThat(bob.takeEvent().data()).isEqualTo("for bob");
  }

  @Test
  void sendToAllReachesItsGroupOnly() {
    SseTestClient inDefault = connect("clientId=a");
    SseTestClient inRoom = connect("clientId=b&group=room");
    SseTestClient alsoInRoom = connect("clientId=c&group=room");

    assertThat(service.sendToAll("to room", "news", "room")).isEqualTo(2);
    assertThat(service.sendToAll("to default")).isEqualTo(1);
    assertThat(service.sendToClient("b", "b in room", null, "room")).isEqualTo(1);
    assertThat(service.sendToClient("b", "b in default")).isZero();

    ReceivedEvent news = inRoom.takeEvent();
    assertThat(news.event()).isEqualTo("news");
    assertThat(news.data()).isEqualTo("to room");
    assertThat(inRoom.takeEvent().data()).isEqualTo("b in room");
    assertThat(alsoInRoom.takeEvent().data()).isEqualTo("to room");
    assertThat(inDefault.takeEvent().data()).isEqualTo("to default");
    assertThat(service.send(Target.everyone(), SseEvent.of("to all groups"))).isEqualTo(3);
    assertThat(inDefault.takeEvent().data()).isEqualTo("to all groups");
    assertThat(alsoInRoom.takeEvent().data()).isEqualTo("to all groups");
    assertThat(service.clients("room"))
        .extracting(SseClient::id)
        .containsExactlyInAnyOrder("b", "c");
    assertThat(service.clients("never-used")).isEmpty();
  }

  @Test
  void sendToConnectionReachesOneDevice() {
    SseTestClient first = connect("clientId=alice");
    SseTestClient second = connect("clientId=alice");
    List<SseConnection> devices = service.client("alice").orElseThrow().connections();

    assertThat(service.sendToConnection(devices.get(1), "second only", "private", "7"))
        .isEqualTo(1);
    assertThat(devices.get(0).send("first only")).isTrue();

    assertThat(second.takeEvent()).isEqualTo(new ReceivedEvent("private", "second only", "7"));
    assertThat(first.takeEvent().data()).isEqualTo("first only");
    first.assertNoPendingEvent();
  }

  @Test
  void eventFieldsAndMultiLineDataArriveIntact() {
    SseTestClient client = connect("clientId=a");
    String text = "line 1\nline 2\r\nline 3\rx\n\nevent: injected\ndata: no";

    service.send(Target.client("a"), SseEvent.builder().data(text).event("t").id("0").build());
    service.sendToClient("a", "");
    service.sendToClient("a", " leading space");
    service.sendToClient("a", "ünïcødé ✓ 😀");

    assertThat(client.takeEvent())
        .isEqualTo(
            new ReceivedEvent("t", "line 1\nline 2\nline 3\nx\n\nevent: injected\ndata: no", "0"));
    assertThat(client.takeEvent().data()).isEmpty();
    assertThat(client.takeEvent().data()).isEqualTo(" leading space");
    assertThat(client.takeEvent().data()).isEqualTo("ünïcødé ✓ 😀");
  }

  @Test
  void objectsGoThroughTheCodec() {
    SseTestClient client = connect("clientId=a");
    service.sendToClient("a", List.of(1, 2));
    assertThat(client.takeEvent().data()).isEqualTo("codec:[1, 2]");
  }

  @Test
  void clientIdIsGeneratedAndMetadataKept() {
    connect("meta.name=Ann&meta.role=admin");
    SseClient client = service.clients().get(0);
    assertThat(client.id()).isNotBlank();
    assertThat(client.metadata()).containsEntry("name", "Ann").containsEntry("role", "admin");

    assertThat(service.setClientMetadata(client.id(), Map.of("name", "Bea"))).isPresent();
    assertThat(service.client(client.id()).orElseThrow().metadata())
        .isEqualTo(Map.of("name", "Bea"));
    assertThat(service.setClientMetadata("nobody", Map.of())).isEmpty();
  }

  @SuppressWarnings("try") // the resource only has to stay open while the test runs
  @Test
  void responseHasSseHeadersAndKeepsTheFrameworksHeaders() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(URI.create(uri + "?clientId=h")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(
              v ->
                  assertThat(v.replace(" ", "").toLowerCase())
                      .isEqualTo("text/event-stream;charset=utf-8"));
      assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-cache");
      assertThat(response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
      assertThat(response.headers().firstValue(FRAMEWORK_HEADER)).hasValue("kept");
    }
  }

  @Test
  void disconnectCallbackRunsOnceWhenTheClientGoes() throws Exception {
    SseTestClient client = connect("clientId=leaver");
    SseTestClient stays = connect("clientId=stays");
    client.close();

    RecordingListener.Disconnect d = listener.takeDisconnect();
    assertThat(d.connection().client().id()).isEqualTo("leaver");
    assertThat(d.reason()).isEqualTo(CloseReason.PEER_GONE);
    await().until(() -> callbacks.contains("leaver:PEER_GONE"));
    assertThat(service.client("leaver")).isEmpty();
    assertThat(service.client("stays")).isPresent();
    listener.assertNoDisconnect(Duration.ofMillis(500));
    assertThat(callbacks).containsExactly("leaver:PEER_GONE");
    assertThat(service.sendToClient("stays", "still here")).isEqualTo(1);
    assertThat(stays.takeEvent().data()).isEqualTo("still here");
  }

  @Test
  @LongKeepAlive
  void anIdleClientThatClosesIsNoticedWithoutWaitingForAWrite() throws Exception {
    assertGoneClientNoticed("fin", false);
  }

  @Test
  @LongKeepAlive
  void anIdleClientThatResetsIsNoticedWithoutWaitingForAWrite() throws Exception {
    assertGoneClientNoticed("rst", true);
  }

  @Test
  @LongKeepAlive
  void aClientThatConnectsAndResetsAtOnceIsFreedWithinSeconds() throws Exception {
    assertLeavingAtOnceIsNoticed("rst", true);
  }

  @Test
  @LongKeepAlive
  void aClientThatConnectsAndClosesAtOnceIsFreedWithinSeconds() throws Exception {
    assertLeavingAtOnceIsNoticed("fin", false);
  }

  /**
   * A client that leaves right after its stream opened (a reload, a connect-and-reset loop) must
   * not hold its socket until the next keep-alive (ten minutes here): with nothing sent by the
   * test, its connection ends within a few seconds on every adapter (on those that learn of a
   * gone peer only from a failed write, by the service's early probes).
   */
  private void assertLeavingAtOnceIsNoticed(String clientId, boolean reset) throws Exception {
    Socket leaving = openIdleStream(clientId);
    try {
      long closedAt = leave(leaving, reset);

      await()
          .atMost(Duration.ofSeconds(6))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> callbacks.contains(clientId + ":PEER_GONE"));
      System.out.printf(
          "[kit] %s: a client that left at once (%s) was freed after %d ms%n",
          getClass().getSimpleName(),
          reset ? "RST" : "FIN",
          (System.nanoTime() - closedAt) / 1_000_000);
      assertThat(service.client(clientId)).isEmpty();
      assertThat(service.stats().connections()).isZero();
    } finally {
      leaving.close();
    }
  }

  /**
   * Opens an idle stream on a raw socket, closes it (FIN, or RST with {@code reset}) and asserts
   * that within {@link #goneClientNoticedWithin()} the connection leaves the registry, counts and
   * sends forget it, and its callbacks run exactly once as {@code PEER_GONE}. Nothing is sent in
   * between: only the server noticing the close can pass.
   */
  private void assertGoneClientNoticed(String clientId, boolean reset) throws Exception {
    SseTestClient stays = connect("clientId=stays");
    Socket leaving = openIdleStream(clientId);
    try {
      await().until(() -> service.stats().connections() == 2);
      assertThat(service.sendToClient(clientId, "hello")).isEqualTo(1);
      assertThat(SseLines.readUntil(leaving.getInputStream(), "data: hello\n")).isTrue();
      await()
          .until(
              () -> service.client(clientId).orElseThrow().connections().get(0).queuedBytes() == 0);
      long closedAt = leave(leaving, reset);

      Duration bound = goneClientNoticedWithin();
      int writes = 0;
      if (writesToNoticeAGoneClient() == 0) {
        await()
            .atMost(bound)
            .pollInterval(Duration.ofMillis(5))
            .until(() -> callbacks.contains(clientId + ":PEER_GONE"));
      } else {
        // the server learns of the close only from a failed write: send one event at a time,
        // wait until its write completed or failed, and count the writes
        while (!callbacks.contains(clientId + ":PEER_GONE")) {
          assertThat(writes)
              .as("writes after the close before it was noticed")
              .isLessThan(writesToNoticeAGoneClient());
          int completedBefore = probe.completedWrites();
          service.sendToClient(clientId, "into the void " + ++writes);
          await()
              .atMost(bound)
              .pollInterval(Duration.ofMillis(5))
              .until(
                  () ->
                      callbacks.contains(clientId + ":PEER_GONE")
                          || probe.completedWrites() > completedBefore);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isLessThan(bound);
      }
      long noticedMillis = (System.nanoTime() - closedAt) / 1_000_000;
      System.out.printf(
          "[kit] %s: a gone client (%s, idle) was noticed after %d ms%s%n",
          getClass().getSimpleName(),
          reset ? "RST" : "FIN",
          noticedMillis,
          writes == 0 ? ", by itself" : ", at write " + writes + " after the close");
      await().atMost(Duration.ofSeconds(1)).until(() -> service.stats().connections() == 1);
      assertThat(service.client(clientId)).isEmpty();
      assertThat(service.clients()).extracting(SseClient::id).containsExactly("stays");
      assertThat(service.sendToClient(clientId, "too late")).isZero();
      RecordingListener.Disconnect gone = listener.takeDisconnect();
      assertThat(gone.connection().client().id()).isEqualTo(clientId);
      assertThat(gone.reason()).isEqualTo(CloseReason.PEER_GONE);
      listener.assertNoDisconnect(Duration.ofMillis(300));
      assertThat(callbacks).containsExactly(clientId + ":PEER_GONE");
      assertThat(service.sendToClient("stays", "still here")).isEqualTo(1);
      assertThat(stays.takeEvent().data()).isEqualTo("still here");
    } finally {
      leaving.close();
    }
  }

  @Test
  void optionsRefusedWithIllegalArgumentAreAnswered400WithTheMessage() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    // the kit's options function builds ConnectOptions.builder().clientId(""), which throws
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(uri + "?clientId="))
                .header("Accept", "text/event-stream") // as every EventSource asks
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    // the reason reaches an EventSource's request (a framework's error page may escape it)
    assertThat(response.body().replace("&quot;", "\""))
        .contains("clientId: \"\" (expected: a non-empty id, or null)");
    assertThat(service.stats().connections()).isZero();
    assertThat(listener.connects()).isEmpty();
  }

  @Test
  void aClientIdOrGroupWithCrOrLfIsAnswered400AndNeverRegistered() throws Exception {
    String byId = refusal("clientId=eve%0D%0ASEVERE:%20user%20admin%20granted%20root");
    String byGroup = refusal("clientId=eve&group=room%0Ainjected");

    // the message shows the value escaped: the response, like a log line, holds no raw CR or LF
    assertThat(byId)
        .contains(
            "clientId: "
                + "\"eve\\r\\nSEVERE: user admin granted root\" contains a control character (U+000D)");
    assertThat(byGroup)
        .contains("group: \"room\\ninjected\" contains a control character (U+000A)");
    assertThat(service.stats().connections()).isZero();
    assertThat(listener.connects()).isEmpty();
    assertThat(service.groups()).isEmpty();
  }

  /** Asserts that a GET with {@code query} is answered 400; returns the body (HTML unescaped). */
  @SuppressWarnings("try") // the body only has to stay open while it is read
  private String refusal(String query) throws Exception {
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient()
            .send(
                // a server that cannot write the response head must not hang the test
                HttpRequest.newBuilder(URI.create(uri + "?" + query))
                    .header("Accept", "text/event-stream") // as every EventSource asks
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      // checked before the body is read: a stream that was accepted would never end
      assertThat(response.statusCode()).as("the answer to ?" + query).isEqualTo(400);
      // the reason reaches an EventSource's request (a framework's error page may escape it)
      return new String(body.readAllBytes(), UTF_8).replace("&quot;", "\"");
    }
  }

  @Test
  void aLastEventIdParameterThatCannotBeDecodedGetsTheResetEvent() throws Exception {
    SseTestClient watcher = connect("clientId=w");
    service.sendToAll("newest");
    String newest = watcher.takeEvent().lastEventId();

    // "%zz" is no percent-escape (java.net.URI refuses it; a browser sends it as it is): taking
    // it as no id at all would replay nothing, and the client would never know what it missed
    try (Socket garbled = sendRawRequest(new Socket(), "clientId=g&lastEventId=%zz")) {
      garbled.setSoTimeout(10_000);
      InputStream in = new java.io.BufferedInputStream(garbled.getInputStream());
      String status = readLine(in);
      if (status.startsWith("HTTP/1.1 400")) {
        // a server that refuses such a request line itself (the JDK's): the client is told too
        assertThat(service.stats().connections()).isEqualTo(1);
        return;
      }
      assertThat(status).startsWith("HTTP/1.1 200");
      await().until(() -> service.client("g").isPresent());
      service.sendToAll("after");
      String stream = SseLines.readThrough(in, "data: after\n");

      assertThat(stream)
          .as("the stream, until the event after the reset")
          .isNotNull()
          .contains(
              "id: "
                  + newest
                  + "\nevent: "
                  + SseService.RESET_EVENT
                  + "\ndata: "
                  + newest
                  + "\n\n");
      assertThat(stream.indexOf(SseService.RESET_EVENT))
          .as("the reset comes first")
          .isLessThan(stream.indexOf("data: after"));
    }
  }

  @Test
  void keepAliveIsACommentNeverAnEvent() {
    SseTestClient client = connect("clientId=idle");
    assertThat(client.takeComment()).isEqualTo("ping");
    assertThat(client.takeComment()).isEqualTo("ping");
    client.assertNoPendingEvent();
  }

  @Test
  void serverCloseWritesQueuedEventsThenEndsTheStream() {
    SseTestClient client = connect("clientId=a");
    SseConnection connection = service.client("a").orElseThrow().connections().get(0);
    for (int i = 0; i < 100; i++) {
      connection.send("event " + i);
    }
    connection.close();

    assertThat(connection.send("too late")).isFalse();
    for (int i = 0; i < 100; i++) {
      assertThat(client.takeEvent().data()).isEqualTo("event " + i);
    }
    client.awaitEnd();
    assertThat(listener.takeDisconnect().reason()).isEqualTo(CloseReason.CLOSED_BY_SERVER);
    assertThat(callbacks).containsExactly("a:CLOSED_BY_SERVER");
    assertThat(service.client("a")).isEmpty();
  }

  @Test
  void serviceCloseEndsEveryConnection() {
    SseTestClient a = connect("clientId=a");
    SseTestClient b = connect("clientId=b&group=g");
    service.sendToAll("last words");
    service.close();

    assertThat(a.takeEvent().data()).isEqualTo("last words");
    a.awaitEnd();
    b.awaitEnd();
    await().until(() -> callbacks.size() == 2);
    assertThat(callbacks).containsExactlyInAnyOrder("a:SERVICE_SHUTDOWN", "b:SERVICE_SHUTDOWN");
    assertThat(service.stats().connections()).isZero();
    assertThat(service.sendToAll("after close")).isZero();
  }

  @Test
  void eventsArriveInOrder() {
    SseTestClient client = connect("clientId=a");
    int count = 2_000;
    for (int i = 0; i < count; i++) {
      service.sendToClient("a", Integer.toString(i));
      if (i % 100 == 99) {
        awaitQueueBelow("a", service.defaultGroup(), 16 * 1024);
      }
    }
    for (int i = 0; i < count; i++) {
      assertThat(client.takeEvent().data()).isEqualTo(Integer.toString(i));
    }
  }

  @SuppressWarnings("try") // the resource only has to stay open while the test runs
  @Test
  void slowClientIsDroppedWhileOthersReceiveEverything() throws Exception {
    SseTestClient fast = connect("clientId=fast");
    try (Socket slow = openNonReadingClient("clientId=slow")) {
      await().until(() -> service.client("slow").isPresent());
      String kib = "x".repeat(1024);
      int sent = 0;
      while (service.client("slow").isPresent() && sent < 50_000) {
        service.sendToAll(kib + sent++);
        if (sent % 32 == 0) {
          awaitQueueBelow("fast", service.defaultGroup(), 32 * 1024);
        }
      }
      assertThat(service.client("slow")).as("slow consumer dropped").isEmpty();
      // the callbacks of a disconnect caused inside a send run just after it, on the scheduler
      await().until(() -> !listener.disconnects().isEmpty());
      assertThat(listener.disconnects())
          .extracting(RecordingListener.Disconnect::reason)
          .containsExactly(CloseReason.SLOW_CONSUMER);
      assertThat(service.stats().slowConsumerDisconnects()).isEqualTo(1);
      for (int i = 0; i < sent; i++) {
        assertThat(fast.takeEvent().data()).isEqualTo(kib + i);
      }
    }
  }

  @Test
  void twoLargeEventsBackToBackReachAFastReader() {
    SseTestClient reader = connect("clientId=a");
    String big = "b".repeat(600 * 1024); // each far over the kit's 64 KiB bound

    assertThat(service.sendToAll(big + 1)).isEqualTo(1);
    assertThat(service.sendToAll(big + 2)).as("a burst, not a slow consumer").isEqualTo(1);

    assertThat(reader.takeEvent().data()).isEqualTo(big + 1);
    assertThat(reader.takeEvent().data()).isEqualTo(big + 2);
    assertThat(service.stats().slowConsumerDisconnects()).isZero();
  }

  @Test
  void anUnpacedBurstReachesEveryReaderThatKeepsUp() {
    List<SseTestClient> readers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      readers.add(connect("clientId=r" + i));
    }
    await().until(() -> service.stats().connections() == readers.size());
    String kib = "k".repeat(1024);
    int count = 2_000; // 2 MiB per reader, sent as fast as the loop goes: 32x the bound

    for (int i = 0; i < count; i++) {
      assertThat(service.sendToAll(kib + i)).isEqualTo(readers.size());
    }

    for (SseTestClient reader : readers) {
      for (int i = 0; i < count; i++) {
        assertThat(reader.takeEvent().data()).isEqualTo(kib + i);
      }
    }
    assertThat(service.stats().slowConsumerDisconnects()).isZero();
  }

  @SuppressWarnings("try") // the resource only has to stay open while the test runs
  @Test
  void aPublisherThatWaitsForCapacityReachesEveryHealthyReaderWhileANeverReaderIsCut()
      throws Exception {
    List<SseTestClient> readers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      readers.add(connect("clientId=r" + i));
    }
    try (Socket stuck = openNonReadingClient("clientId=stuck")) {
      await().until(() -> service.stats().connections() == readers.size() + 1);
      String kib = "k".repeat(1024);
      int count = 20_000; // 20 MiB per reader: past the hard bound, unless the publisher waits

      for (int i = 0; i < count; i++) {
        assertThat(service.awaitCapacity(Duration.ofSeconds(30))).isTrue();
        service.sendToAll(kib + i);
      }

      for (SseTestClient reader : readers) {
        for (int i = 0; i < count; i++) {
          assertThat(reader.takeEvent().data()).isEqualTo(kib + i);
        }
      }
      await().until(() -> service.client("stuck").isEmpty());
      assertThat(listener.disconnects())
          .extracting(RecordingListener.Disconnect::reason)
          .containsExactly(CloseReason.SLOW_CONSUMER);
      assertThat(service.stats().slowConsumerDisconnects()).isEqualTo(1);
    }
  }

  @Test
  void reconnectWithLastEventIdGetsExactlyWhatWasMissed() {
    String lastSeen;
    try (SseTestClient before = connect("clientId=a")) {
      service.sendToAll("seen");
      lastSeen = Objects.requireNonNull(before.takeEvent().lastEventId(), "the event's id");
      assertThat(lastSeen).isNotEmpty();
    }
    // the server may not have noticed the close yet: what it still sends there is kept anyway
    for (int i = 0; i < 3; i++) {
      service.sendToAll("group " + i);
      service.sendToClient("a", "for a " + i);
      service.sendToClient("b", "for b " + i);
    }
    service.sendToAll("other group", null, "elsewhere");

    SseTestClient after =
        SseTestClient.builder(URI.create(uri + "?clientId=a"))
            .header("Last-Event-ID", lastSeen)
            .connect();
    clients.add(after);
    service.sendToAll("live");

    List<String> expected =
        List.of("group 0", "for a 0", "group 1", "for a 1", "group 2", "for a 2", "live");
    for (String data : expected) {
      assertThat(after.takeEvent().data()).isEqualTo(data);
    }
    assertThat(after.pollEvent(Duration.ofMillis(300))).as("nothing twice, nothing else").isNull();
  }

  @Test
  void lastEventIdAlsoComesAsQueryParameter() {
    SseTestClient probe = connect("clientId=p");
    service.sendToAll("third");
    String newest = probe.takeEvent().lastEventId();
    service.sendToAll("fourth");

    SseTestClient resumed = connect("clientId=q&lastEventId=" + newest);
    assertThat(resumed.takeEvent().data()).isEqualTo("fourth");
    assertThat(resumed.pollEvent(Duration.ofMillis(300))).isNull();
  }

  @Test
  void unknownLastEventIdGetsAResetEventWithTheNewestId() {
    service.sendToAll("before");
    SseTestClient watcher = connect("clientId=w");
    service.sendToAll("newest");
    String newest = watcher.takeEvent().lastEventId();

    SseTestClient stale =
        SseTestClient.builder(URI.create(uri + "?clientId=s"))
            .header("Last-Event-ID", "no-such-id")
            .connect();
    clients.add(stale);

    ReceivedEvent reset = stale.takeEvent();
    assertThat(reset.event()).isEqualTo(SseService.RESET_EVENT);
    assertThat(reset.data()).isEqualTo(newest);
    assertThat(reset.lastEventId()).isEqualTo(newest);
    service.sendToAll("after reset");
    assertThat(stale.takeEvent().data()).isEqualTo("after reset");
  }

  @Test
  void aReconnectingClientLosesNothingWhenTheServerDropsIt() {
    SseTestClient client =
        SseTestClient.builder(URI.create(uri + "?clientId=r"))
            .reconnect(Duration.ofMillis(50))
            .connect();
    clients.add(client);
    int opensBefore = client.opens();
    service.sendToAll("0");
    assertThat(client.takeEvent().data()).isEqualTo("0");

    service.client("r").orElseThrow().connections().get(0).close();
    for (int i = 1; i <= 20; i++) {
      service.sendToAll(Integer.toString(i)); // some while it is away, some after it is back
      if (i == 10) {
        await().until(() -> service.client("r").isPresent());
      }
    }

    for (int i = 1; i <= 20; i++) {
      assertThat(client.takeEvent().data()).isEqualTo(Integer.toString(i));
    }
    assertThat(client.pollEvent(Duration.ofMillis(300))).isNull();
    assertThat(client.opens()).isGreaterThan(opensBefore);
  }

  /** Returns the probed transport of the connection of client {@code clientId}. */
  protected TransportProbe.Probed transportOf(String clientId) {
    return probe.transports().stream()
        .filter(t -> t.openHeaders() != null && clientId.equals(t.openHeaders().get(CLIENT_HEADER)))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no transport opened for " + clientId));
  }

  @Test
  void aTransportWhoseWriteThrowsEndsOnlyItsOwnConnectionOnce() {
    SseTestClient healthy = connect("clientId=healthy");
    SseTestClient broken = connect("clientId=broken");
    await().until(() -> service.stats().connections() == 2);
    transportOf("broken").failWrites(new IllegalStateException("a transport bug"));

    service.sendToAll("to all");

    assertThat(healthy.takeEvent().data()).isEqualTo("to all");
    broken.awaitEnd();
    await().until(() -> callbacks.contains("broken:PEER_GONE"));
    assertThat(transportOf("broken").closes()).isEqualTo(1);
    service.sendToAll("again");
    assertThat(healthy.takeEvent().data()).isEqualTo("again");
    assertThat(callbacks).containsExactly("broken:PEER_GONE");
    assertThat(service.stats().connections()).isEqualTo(1);
  }

  @Test
  void aTransportWhoseOpenThrowsAfterCommittingEndsThatStreamOnce() {
    SseTestClient healthy = connect("clientId=healthy");
    await().until(() -> service.stats().connections() == 1);
    probe.failNextOpen(new IllegalStateException("an adapter bug after the commit"));

    SseTestClient broken = connect("clientId=broken");

    broken.awaitEnd();
    await().until(() -> callbacks.contains("broken:PEER_GONE"));
    assertThat(service.client("broken")).isEmpty();
    service.sendToAll("still fine");
    assertThat(healthy.takeEvent().data()).isEqualTo("still fine");
    assertThat(callbacks).containsExactly("broken:PEER_GONE");
  }

  @Test
  void aPeerThatGoesMidWriteEndsOnceAndTheOthersGoOn() throws Exception {
    SseTestClient healthy = connect("clientId=healthy");
    Socket leaving = openNonReadingClient("clientId=leaving");
    await().until(() -> service.client("leaving").isPresent());
    service.sendToClient("leaving", "x".repeat(4 << 20)); // far more than the socket buffers
    Thread.sleep(100); // the write is under way, stuck on the full socket
    leave(leaving, true); // a reset mid-write

    await().atMost(Duration.ofSeconds(10)).until(() -> callbacks.contains("leaving:PEER_GONE"));
    assertThat(service.client("leaving")).isEmpty();
    service.sendToAll("after");
    assertThat(healthy.takeEvent().data()).isEqualTo("after");
    assertThat(callbacks).containsExactly("leaving:PEER_GONE");
  }

  @Test
  @FewConnectionsPerClient
  void aConnectOverThePerClientLimitIsAnswered429NamingTheLimit() throws Exception {
    SseTestClient first = connect("clientId=many");
    connect("clientId=many");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                service.client("many").map(c -> c.connections().size()).orElse(0)
                    == FEW_CONNECTIONS_PER_CLIENT);

    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(uri + "?clientId=many"))
                    .header("Accept", "text/event-stream") // as every EventSource asks
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(429);
    // the reason reaches an EventSource's request (a framework's error page may escape it)
    assertThat(response.body().replace("&quot;", "\""))
        .contains(
            "maxConnectionsPerClient ("
                + FEW_CONNECTIONS_PER_CLIENT
                + ") reached: client \"many\" of group \"default\"");
    assertThat(service.client("many").orElseThrow().connections())
        .hasSize(FEW_CONNECTIONS_PER_CLIENT);
    assertThat(listener.connects()).hasSize(FEW_CONNECTIONS_PER_CLIENT);
    service.sendToClient("many", "the two still get events");
    assertThat(first.takeEvent().data()).isEqualTo("the two still get events");
  }

  @Test
  void aConnectToAClosedServiceIsAnswered503() throws Exception {
    service.close();
    assertThat(statusOf("clientId=late")).startsWith("503");
  }

  @Test
  void aConnectWhoseServiceClosesMeanwhileIsAnswered503() throws Exception {
    assertThat(statusOf("clientId=unlucky&closeServiceNow=1")).startsWith("503");
  }

  @Test
  void connectsRacingCloseGet503OrAStreamThatEnds() throws Exception {
    int count = 24;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(count);
    try {
      List<java.util.concurrent.Future<String>> answers = new ArrayList<>();
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      for (int i = 0; i < count; i++) {
        int n = i;
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  Thread.sleep(n % 6);
                  return statusOf("clientId=racer" + n + "&delay=" + (n % 3) * 10);
                }));
      }
      go.countDown();
      Thread.sleep(8); // some requests are in their options function now, some not yet sent
      service.close();
      for (java.util.concurrent.Future<String> answer : answers) {
        assertThat(answer.get(30, java.util.concurrent.TimeUnit.SECONDS))
            .as("a stream that ended, or a refusal")
            .matches("(200 ended|503).*");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(service.stats().connections()).isZero();
  }

  /**
   * Sends a GET with a raw socket and returns {@code "503 ..."} for a refusal, or {@code "200
   * ended"} once a 200 stream has ended (the service closed it), or what else came.
   */
  private String statusOf(String query) throws Exception {
    URI target = URI.create(uri + "?" + query);
    try (Socket socket = new Socket(target.getHost(), target.getPort())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + target.getRawPath()
                  + "?"
                  + target.getRawQuery()
                  + " HTTP/1.1\r\n"
                  + "Host: "
                  + target.getHost()
                  + ":"
                  + target.getPort()
                  + "\r\n"
                  + "Accept: text/event-stream\r\n\r\n")
              .getBytes(UTF_8));
      out.flush();
      InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
      String status = readLine(in);
      if (!status.startsWith("HTTP/1.1 ")) {
        return "no status line: '" + status + "'";
      }
      String code = status.substring(9);
      if (!code.startsWith("200")) {
        return code;
      }
      boolean chunked = false;
      for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
        chunked |=
            header.toLowerCase(java.util.Locale.ROOT).startsWith("transfer-encoding:")
                && header.toLowerCase(java.util.Locale.ROOT).contains("chunked");
      }
      // the stream must end, the service is closing: the last chunk, or the connection's end
      while (true) {
        if (chunked) {
          String size = readLine(in);
          if (size.isEmpty() && in.available() == 0 && in.read() < 0) {
            return "200 ended";
          }
          int length = Integer.parseInt(size.split(";")[0].trim(), 16);
          if (length == 0) {
            return "200 ended";
          }
          in.readNBytes(length + 2);
        } else if (in.read() < 0) {
          return "200 ended";
        }
      }
    }
  }

  private static String readLine(InputStream in) throws java.io.IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    return line.toString().trim();
  }

  private void awaitQueueBelow(String clientId, String group, long bytes) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                service
                    .client(clientId, group)
                    .map(c -> c.connections().stream().allMatch(x -> x.queuedBytes() < bytes))
                    .orElse(true));
  }

  /**
   * Opens a raw stream for {@code clientId} and reads its first frame (the retry): from here the
   * stream is idle.
   */
  private Socket openIdleStream(String clientId) throws Exception {
    Socket socket = openNonReadingClient("clientId=" + clientId);
    socket.setSoTimeout(10_000);
    assertThat(SseLines.readUntil(socket.getInputStream(), "retry: 100\n")).isTrue();
    return socket;
  }

  /** Closes {@code socket} with a FIN, or a reset with {@code reset}; returns when (nanoTime). */
  private static long leave(Socket socket, boolean reset) throws Exception {
    if (reset) {
      socket.setSoLinger(true, 0);
    }
    long closedAt = System.nanoTime();
    socket.close();
    return closedAt;
  }

  /** Opens a raw socket with a tiny receive buffer that sends the request and never reads. */
  private Socket openNonReadingClient(String query) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(1024);
    return sendRawRequest(socket, query);
  }

  /**
   * Connects {@code socket} and sends a GET with {@code rawQuery} exactly as given, even one that
   * {@link URI} refuses (a malformed escape, as a browser would send it).
   */
  private Socket sendRawRequest(Socket socket, String rawQuery) throws Exception {
    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET "
                + uri.getRawPath()
                + "?"
                + rawQuery
                + " HTTP/1.1\r\n"
                + "Host: "
                + uri.getHost()
                + ":"
                + uri.getPort()
                + "\r\n"
                + "Accept: text/event-stream\r\n\r\n")
            .getBytes(UTF_8));
    out.flush();
    return socket;
  }
}
