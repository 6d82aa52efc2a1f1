package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sseservice.CloseReason;
import io.sseservice.ConnectOptions;
import io.sseservice.SlowConsumerPolicy;
import io.sseservice.SseClient;
import io.sseservice.SseConnection;
import io.sseservice.SseEvent;
import io.sseservice.SseException;
import io.sseservice.SseService;
import io.sseservice.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The service's behaviour over in-memory transports: no network, exact bytes. */
class SseServiceTest {

  private final RecordingListener listener = new RecordingListener();
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<SseService> services = new ArrayList<>();

  private SseService service() {
    return service(SseService.builder());
  }

  private SseService service(SseService.Builder builder) {
    SseService s =
        builder
            .listener(listener)
            .ticker(clock)
            .clock(clock)
            .keepAliveInterval(Duration.ZERO)
            .build();
    services.add(s);
    return s;
  }

  @AfterEach
  void closeAll() {
    services.forEach(SseService::close);
    scheduler.shutdownNow();
  }

  private static SseConnection connect(
      SseService service, InMemoryTransport transport, String clientId) {
    return service.connect(transport, ConnectOptions.builder().clientId(clientId).build());
  }

  @Test
  void sendToClientWritesTheEncodedEventOnEveryDevice() {
    SseService service = service();
    InMemoryTransport phone = new InMemoryTransport();
    InMemoryTransport laptop = new InMemoryTransport();
    connect(service, phone, "alice");
    connect(service, laptop, "alice");

    assertThat(service.sendToClient("alice", "hi", "greeting", null, "1")).isEqualTo(2);

    assertThat(phone.text()).isEqualTo("id: 1\nevent: greeting\ndata: hi\n\n");
    assertThat(laptop.text()).isEqualTo(phone.text());
    assertThat(service.stats().eventsSent()).isEqualTo(2);
  }

  @Test
  void aNullGroupMeansTheDefaultGroupInEveryMethod() {
    SseService service = service(SseService.builder().defaultGroup("lobby"));
    InMemoryTransport phone = new InMemoryTransport();
    service.connect(phone, ConnectOptions.builder().clientId("ann").group(null).build());

    assertThat(service.client("ann", null).orElseThrow().group()).isEqualTo("lobby");
    assertThat(service.clients(null)).extracting(SseClient::id).containsExactly("ann");
    assertThat(service.setClientMetadata("ann", Map.of("a", 1), null)).isPresent();
    assertThat(service.mergeClientMetadata("ann", Map.of("b", 2), null).orElseThrow().metadata())
        .isEqualTo(Map.of("a", 1, "b", 2));
    assertThat(service.sendToClient("ann", "x", null, null)).isEqualTo(1);
    assertThat(service.sendToAll("y", null, null)).isEqualTo(1);
    assertThat(service.directory().client("ann", null).join()).isPresent();
    assertThat(service.directory().clients(null).join()).hasSize(1);
    assertThat(
            service
                .directory()
                .setClientMetadata("ann", Map.of("c", 3), null)
                .join()
                .orElseThrow()
                .metadata())
        .isEqualTo(Map.of("c", 3));
  }

  @Test
  void connectionMetadataStaysWithItsConnectionAndConnectsMergeTheClients() {
    SseService service = service();
    SseConnection phone =
        service.connect(
            new InMemoryTransport(),
            ConnectOptions.builder()
                .clientId("ann")
                .metadata(Map.of("name", "Ann"))
                .connectionMetadata(Map.of("device", "phone"))
                .build());
    SseConnection laptop =
        service.connect(
            new InMemoryTransport(),
            ConnectOptions.builder()
                .clientId("ann")
                .metadata(Map.of("theme", "dark"))
                .connectionMetadata(Map.of("device", "laptop"))
                .build());

    assertThat(phone.metadata()).isEqualTo(Map.of("device", "phone"));
    assertThat(laptop.info().metadata()).isEqualTo(Map.of("device", "laptop"));
    assertThat(phone.client().metadata()).isEqualTo(Map.of("name", "Ann", "theme", "dark"));
    assertThat(service.directory().client("ann").join().orElseThrow().connections())
        .extracting(c -> c.metadata().get("device"))
        .containsExactly("phone", "laptop");

    Map<String, Object> changes = new HashMap<>();
    changes.put("theme", null); // removes the key
    changes.put("lang", "de");
    service.mergeClientMetadata("ann", changes);
    assertThat(phone.client().metadata()).isEqualTo(Map.of("name", "Ann", "lang", "de"));
    service.setClientMetadata("ann", Map.of("only", true));
    assertThat(phone.client().metadata()).as("set replaces").isEqualTo(Map.of("only", true));
    assertThat(service.mergeClientMetadata("nobody", Map.of("x", 1))).isEmpty();
  }

  @Test
  void headersAreOursOverThePassthroughOnes() {
    SseService service = service();
    InMemoryTransport transport = new InMemoryTransport();
    service.connect(
        transport,
        ConnectOptions.builder()
            .header("cache-control", "max-age=60")
            .header("Access-Control-Allow-Origin", "*")
            .build());

    assertThat(transport.headers())
        .containsExactly(
            Map.entry("Access-Control-Allow-Origin", "*"),
            Map.entry("Content-Type", "text/event-stream;charset=utf-8"),
            Map.entry("Cache-Control", "no-cache"),
            Map.entry("X-Accel-Buffering", "no"),
            Map.entry("Connection", "keep-alive"));
  }

  @Test
  void clientLeavesWithItsLastConnectionAndCallbacksRunOnce() {
    SseService service = service();
    AtomicInteger callbacks = new AtomicInteger();
    InMemoryTransport first = new InMemoryTransport();
    InMemoryTransport second = new InMemoryTransport();
    ConnectOptions options =
        ConnectOptions.builder().clientId("a").onDisconnect(callbacks::incrementAndGet).build();
    SseConnection c1 = service.connect(first, options);
    service.connect(second, options);

    first.peerGone();
    first.peerGone();
    assertThat(callbacks).hasValue(1);
    assertThat(c1.closeReason()).contains(CloseReason.PEER_GONE);
    assertThat(first.isClosed()).isTrue();
    assertThat(service.client("a").orElseThrow().connections()).hasSize(1);

    second.failWrites();
    assertThat(service.sendToClient("a", "x")).isEqualTo(1); // queued, then the write fails
    assertThat(callbacks).hasValue(2);
    assertThat(service.client("a")).isEmpty();
    assertThat(service.groups()).isEmpty();
    assertThat(service.stats().connections()).isZero();
  }

  @Test
  void metadataFromConnectIsKeptAndReplaced() {
    SseService service = service();
    Map<String, Object> meta = new HashMap<>();
    meta.put("name", "Ann");
    service.connect(
        new InMemoryTransport(), ConnectOptions.builder().clientId("a").metadata(meta).build());
    meta.put("name", "changed after connect");

    SseClient client = service.client("a").orElseThrow();
    assertThat(client.metadata()).isEqualTo(Map.of("name", "Ann"));
    assertThat(service.setClientMetadata("a", Map.of("name", "Bea"))).containsSame(client);
    assertThat(client.metadata()).isEqualTo(Map.of("name", "Bea"));
    assertThatThrownBy(() -> client.metadata().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);

    service.connect(new InMemoryTransport(), ConnectOptions.builder().clientId("a").build());
    assertThat(client.metadata())
        .as("kept when a device connects without metadata")
        .isEqualTo(Map.of("name", "Bea"));
  }

  @Test
  void objectsNeedACodec() {
    SseService service = service();
    connect(service, new InMemoryTransport(), "a");

    assertThatThrownBy(() -> service.sendToClient("a", Map.of("k", 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("java.util.")
        .hasMessageContaining("sse-jackson");
  }

  @Test
  void codecFailureIsReportedAndSendsNothing() {
    SseService service =
        service(
            SseService.builder()
                .messageCodec(
                    m -> {
                      throw new IllegalArgumentException("boom");
                    }));
    InMemoryTransport transport = new InMemoryTransport();
    connect(service, transport, "a");

    assertThatThrownBy(() -> service.sendToAll(List.of()))
        .isInstanceOf(SseException.class)
        .hasRootCauseMessage("boom");
    assertThat(transport.text()).isEmpty();
  }

  @Test
  void illegalEventNameIsRefusedBeforeAnythingIsWritten() {
    SseService service = service();
    InMemoryTransport transport = new InMemoryTransport();
    connect(service, transport, "a");

    assertThatThrownBy(() -> service.sendToAll("x", "evil\ndata: y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("event: ");
    assertThatThrownBy(() -> service.sendToClient("a", "x", null, null, "1\n2"))
        .hasMessageStartingWith("id: ");
    assertThat(transport.text()).isEmpty();
  }

  @Test
  void slowConsumerIsDisconnectedAndOthersKeepReceiving() {
    SseService service =
        service(
            SseService.builder()
                .maxQueuedBytes(100)
                .slowConsumerGrace(Duration.ZERO)); // the bound itself: no grace for a burst
    InMemoryTransport slow = new InMemoryTransport();
    InMemoryTransport fast = new InMemoryTransport();
    SseConnection slowConnection = connect(service, slow, "slow");
    connect(service, fast, "fast");
    slow.pause();

    String forty = "x".repeat(32); // 40 bytes encoded
    int[] reached = new int[5];
    for (int i = 0; i < reached.length; i++) {
      reached[i] = service.sendToAll(forty);
    }

    // first write is in flight, then two fit in 100 bytes; the fourth makes it slow
    assertThat(reached).containsExactly(2, 2, 2, 1, 1);
    assertThat(slowConnection.closeReason()).contains(CloseReason.SLOW_CONSUMER);
    assertThat(listener.slowConsumers()).containsExactly(slowConnection);
    assertThat(service.stats().slowConsumerDisconnects()).isEqualTo(1);
    assertThat(fast.text()).isEqualTo(("data: " + forty + "\n\n").repeat(5));
    assertThat(slowConnection.queuedBytes()).isZero();
  }

  @Test
  void dropOldestKeepsTheNewestEventsAndCountsTheDrops() {
    SseService service =
        service(
            SseService.builder()
                .maxQueuedBytes(30)
                .slowConsumerGrace(Duration.ZERO)
                .slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST));
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = connect(service, transport, "a");
    transport.pause();

    for (int i = 0; i < 6; i++) {
      assertThat(service.sendToAll("event" + i)).isEqualTo(1); // 14 bytes each
    }
    assertThat(connection.isOpen()).isTrue();
    transport.resume();

    assertThat(transport.text()).isEqualTo("data: event0\n\ndata: event4\n\ndata: event5\n\n");
    assertThat(service.stats().eventsDropped()).isEqualTo(3);
    assertThat(listener.droppedEvents()).isEqualTo(3);
  }

  @Test
  void oneEventLargerThanTheBoundStillFitsAnEmptyQueue() {
    SseService service = service(SseService.builder().maxQueuedBytes(10));
    InMemoryTransport transport = new InMemoryTransport();
    connect(service, transport, "a");

    assertThat(service.sendToAll("much longer than ten bytes")).isEqualTo(1);
    assertThat(transport.text()).isEqualTo("data: much longer than ten bytes\n\n");
  }

  @Test
  void queuedEventsAreCoalescedIntoOneWrite() {
    SseService service = service();
    InMemoryTransport transport = new InMemoryTransport();
    connect(service, transport, "a");
    transport.pause();
    for (int i = 0; i < 100; i++) {
      service.sendToAll("e" + i);
    }
    transport.resume();

    // one write was in flight when the pause began; the 99 queued behind it go out as one
    assertThat(transport.writes()).isEqualTo(2);
    assertThat(transport.text()).startsWith("data: e0\n\ndata: e1\n\n").endsWith("data: e99\n\n");
  }

  @Test
  void keepAliveGoesOnlyToIdleConnections() {
    SseService service =
        SseService.builder()
            .ticker(clock)
            .clock(clock)
            .scheduler(scheduler)
            .keepAliveInterval(Duration.ofSeconds(20))
            .build();
    services.add(service);
    InMemoryTransport idle = new InMemoryTransport();
    InMemoryTransport busy = new InMemoryTransport();
    connect(service, idle, "idle");
    connect(service, busy, "busy");

    clock.advance(Duration.ofSeconds(15));
    service.sendToClient("busy", "news");
    scheduler.tick();
    assertThat(idle.text()).as("idle for 15 s only").isEmpty();
    clock.advance(Duration.ofSeconds(6));
    scheduler.tick();

    assertThat(idle.text()).isEqualTo(": ping\n\n");
    assertThat(busy.text()).isEqualTo("data: news\n\n");
    clock.advance(Duration.ofSeconds(20));
    scheduler.tick();
    assertThat(busy.text()).isEqualTo("data: news\n\n: ping\n\n");
    assertThat(idle.text()).isEqualTo(": ping\n\n: ping\n\n");
  }

  @Test
  void stalledWriteClosesTheConnectionAsSlow() {
    SseService service =
        SseService.builder()
            .ticker(clock)
            .clock(clock)
            .scheduler(scheduler)
            .keepAliveInterval(Duration.ZERO)
            .writeTimeout(Duration.ofSeconds(30))
            .listener(listener)
            .build();
    services.add(service);
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = connect(service, transport, "a");
    transport.pause();
    service.sendToAll("stuck");

    clock.advance(Duration.ofSeconds(29));
    scheduler.tick();
    assertThat(connection.isOpen()).isTrue();
    clock.advance(Duration.ofSeconds(2));
    scheduler.tick();
    assertThat(connection.closeReason()).contains(CloseReason.SLOW_CONSUMER);
    assertThat(transport.isClosed()).isTrue();
  }

  @Test
  void closeWritesWhatWasQueuedThenEndsEveryConnection() {
    SseService service =
        service(SseService.builder().shutdownReconnectWindow(Duration.ZERO, Duration.ZERO));
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = connect(service, transport, "a");
    transport.pause();
    service.sendToAll("one");
    service.sendToAll("two");

    Thread resumer =
        new Thread(
            () -> {
              await().until(service::isClosed);
              transport.resume();
            });
    resumer.start();
    service.close();

    assertThat(transport.text()).isEqualTo("data: one\n\ndata: two\n\n");
    assertThat(transport.isClosed()).isTrue();
    assertThat(connection.closeReason()).contains(CloseReason.SERVICE_SHUTDOWN);
    assertThat(service.sendToAll("late")).isZero();
    assertThatThrownBy(() -> connect(service, new InMemoryTransport(), "b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void closeCutsConnectionsStillStuckAfterTheTimeout() {
    SseService service = service(SseService.builder().shutdownTimeout(Duration.ofMillis(100)));
    InMemoryTransport stuck = new InMemoryTransport();
    SseConnection connection = connect(service, stuck, "a");
    stuck.pause();
    service.sendToAll("never written");

    service.close();

    assertThat(stuck.isClosed()).isTrue();
    assertThat(listener.disconnects())
        .extracting(RecordingListener.Disconnect::reason)
        .containsExactly(CloseReason.SERVICE_SHUTDOWN);
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void failingCallbacksAndListenersDoNotStopTheOthers() {
    AtomicInteger ran = new AtomicInteger();
    SseService service =
        service(
            SseService.builder()
                .listener(
                    new io.sseservice.SseListener() {
                      @Override
                      public void onDisconnect(SseConnection connection, CloseReason reason) {
                        throw new IllegalStateException("listener bug");
                      }
                    }));
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection =
        service.connect(
            transport,
            ConnectOptions.builder()
                .onDisconnect(
                    () -> {
                      throw new IllegalStateException("callback bug");
                    })
                .onDisconnect(ran::incrementAndGet)
                .build());

    connection.close();

    assertThat(ran).hasValue(1);
    assertThat(listener.disconnects()).hasSize(1);
  }

  @Test
  void sendTargetsResolveGroupsAndConnections() {
    SseService service = service(SseService.builder().defaultGroup("lobby"));
    InMemoryTransport lobby = new InMemoryTransport();
    InMemoryTransport room = new InMemoryTransport();
    SseConnection inLobby = connect(service, lobby, "a");
    service.connect(room, ConnectOptions.builder().clientId("a").group("room").build());

    assertThat(inLobby.group()).isEqualTo("lobby");
    assertThat(service.send(Target.defaultGroup(), SseEvent.of("1"))).isEqualTo(1);
    assertThat(service.send(Target.group("room"), SseEvent.of("2"))).isEqualTo(1);
    assertThat(service.send(Target.client("a", "room"), SseEvent.of("3"))).isEqualTo(1);
    assertThat(service.send(Target.everyone(), SseEvent.of("4"))).isEqualTo(2);
    assertThat(service.send(Target.connection(inLobby), SseEvent.of("5"))).isEqualTo(1);

    assertThat(lobby.text()).isEqualTo("data: 1\n\ndata: 4\n\ndata: 5\n\n");
    assertThat(room.text()).isEqualTo("data: 2\n\ndata: 3\n\ndata: 4\n\n");
    assertThat(service.groups()).containsExactlyInAnyOrder("lobby", "room");
    assertThat(service.clients("room")).hasSize(1);
  }

  @Test
  void generatedClientIdsComeFromTheGenerator() {
    AtomicInteger next = new AtomicInteger();
    SseService service =
        service(SseService.builder().clientIdGenerator(() -> "gen-" + next.incrementAndGet()));
    SseConnection connection = service.connect(new InMemoryTransport(), ConnectOptions.defaults());
    assertThat(connection.client().id()).isEqualTo("gen-1");
    assertThat(service.clients()).extracting(SseClient::id).containsExactly("gen-1");
  }

  @Test
  void whatIsSentAndClosedBeforeTheStreamOpensIsStillWrittenThenClosed() {
    SseService service = service();
    InMemoryTransport memory = new InMemoryTransport();
    // The client sees the response as soon as the transport commits it, so the application can
    // send and close before connect() has let writes start: that must not lose the events.
    io.sseservice.spi.Transport racing =
        new io.sseservice.spi.Transport() {
          @Override
          public void open(Map<String, String> headers, Runnable onPeerGone) {
            memory.open(headers, onPeerGone);
            SseConnection early = service.client("a").orElseThrow().connections().get(0);
            early.send("early");
            early.close();
          }

          @Override
          public void write(byte[][] frames, int count, io.sseservice.spi.WriteCallback callback) {
            memory.write(frames, count, callback);
          }

          @Override
          public void close() {
            memory.close();
          }
        };

    SseConnection connection =
        service.connect(racing, ConnectOptions.builder().clientId("a").build());

    assertThat(memory.text()).isEqualTo("data: early\n\n");
    assertThat(memory.isClosed()).isTrue();
    assertThat(connection.closeReason()).contains(CloseReason.CLOSED_BY_SERVER);
  }

  @Test
  void badOptionsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> SseService.builder().maxQueuedBytes(0))
        .hasMessage("maxQueuedBytes: 0 (expected: > 0)");
    assertThatThrownBy(() -> SseService.builder().keepAliveInterval(Duration.ofSeconds(-1)))
        .hasMessage("keepAliveInterval: PT-1S (expected: >= 0)");
    assertThatThrownBy(() -> ConnectOptions.builder().clientId(""))
        .hasMessageStartingWith("clientId: ");
  }
}
