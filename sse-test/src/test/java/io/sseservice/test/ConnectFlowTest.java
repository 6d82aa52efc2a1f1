package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseservice.CloseReason;
import io.sseservice.ConnectOptions;
import io.sseservice.ConnectRefusedException;
import io.sseservice.InMemoryEventHistory;
import io.sseservice.SseClient;
import io.sseservice.SseConnection;
import io.sseservice.SseEvent;
import io.sseservice.SseListener;
import io.sseservice.SseService;
import io.sseservice.spi.EventHistory;
import io.sseservice.spi.Recorded;
import io.sseservice.spi.Replay;
import io.sseservice.spi.ReplayRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connect flow: whatever fails between registration and open ends the connection exactly
 * once and removes it; a connection ended before open never opens its transport and is refused;
 * a connect racing the service's close is refused or ended, never left behind.
 */
class ConnectFlowTest {

  private final RecordingListener listener = new RecordingListener();
  private final List<SseService> services = new ArrayList<>();

  private SseService service(SseService.Builder builder) {
    SseService s = builder.listener(listener).keepAliveInterval(Duration.ZERO).build();
    services.add(s);
    return s;
  }

  @AfterEach
  void closeAll() {
    services.forEach(SseService::close);
  }

  /** A history whose replay is whatever the test wants. */
  private static EventHistory replaying(Function<ReplayRequest, CompletionStage<Replay>> replay) {
    InMemoryEventHistory delegate = InMemoryEventHistory.create();
    return new EventHistory() {
      @Override
      public Recorded append(
          String group,
          @Nullable String clientId,
          SseEvent event,
          Function<SseEvent, byte[]> encoder) {
        return delegate.append(group, clientId, event, encoder);
      }

      @Override
      public CompletionStage<Replay> replay(ReplayRequest request) {
        return replay.apply(request);
      }
    };
  }

  private static ConnectOptions resuming(String clientId) {
    return ConnectOptions.builder().clientId(clientId).lastEventId("some-id").build();
  }

  @Test
  void aReplayThatThrowsGivesTheResetEventAndLeavesNoZombie() {
    SseService service =
        service(
            SseService.builder()
                .history(
                    replaying(
                        r -> {
                          throw new IllegalStateException("history store down");
                        })));
    InMemoryTransport transport = new InMemoryTransport();

    SseConnection connection = service.connect(transport, resuming("a"));
    service.sendToAll("live");

    assertThat(connection.isOpen()).isTrue();
    assertThat(transport.events())
        .extracting(ReceivedEvent::event)
        .containsExactly(SseService.RESET_EVENT, "message");
    connection.close();
    assertThat(service.stats().connections()).isZero();
    assertThat(service.client("a")).isEmpty();
  }

  @Test
  void aReplayThatFailsLaterGivesTheResetEventAndLiveEventsWaitBehindIt() {
    CompletableFuture<Replay> later = new CompletableFuture<>();
    SseService service = service(SseService.builder().history(replaying(r -> later)));
    InMemoryTransport transport = new InMemoryTransport();
    service.connect(transport, resuming("a"));
    service.sendToAll("live 1");
    assertThat(transport.text()).as("gated until the replay is in").isEmpty();

    later.completeExceptionally(new IllegalStateException("timed out"));
    service.sendToAll("live 2");

    assertThat(transport.events())
        .extracting(ReceivedEvent::event, ReceivedEvent::data)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(SseService.RESET_EVENT, ""),
            org.assertj.core.groups.Tuple.tuple("message", "live 1"),
            org.assertj.core.groups.Tuple.tuple("message", "live 2"));
  }

  @Test
  void aResetWhoseNewestIdCannotBeWrittenStillGoesOutWithoutIt() {
    SseService service =
        service(
            SseService.builder()
                .history(
                    replaying(
                        r -> CompletableFuture.completedFuture(Replay.reset("a\nforged: field")))));
    InMemoryTransport transport = new InMemoryTransport();

    assertThatCode(() -> service.connect(transport, resuming("a"))).doesNotThrowAnyException();

    assertThat(transport.text()).isEqualTo("id: \nevent: sse-reset\ndata: \n\n");
  }

  @Test
  void anErrorFromOpenEndsTheConnectionOnceAndRemovesIt() {
    SseService service = service(SseService.builder());
    FaultyTransport transport = new FaultyTransport();
    transport.onOpen = new OutOfMemoryError("Cannot reserve direct buffer memory");
    AtomicInteger callbacks = new AtomicInteger();

    SseConnection connection =
        service.connect(
            transport,
            ConnectOptions.builder()
                .clientId("a")
                .onDisconnect(callbacks::incrementAndGet)
                .build());

    assertThat(connection.closeReason()).contains(CloseReason.PEER_GONE);
    assertThat(callbacks).hasValue(1);
    assertThat(transport.closes).hasValue(1);
    assertThat(service.client("a")).isEmpty();
    assertThat(service.stats().connections()).isZero();
    assertThat(service.sendToAll("nobody")).isZero();
  }

  @Test
  void aConnectionEndedBeforeOpenNeverOpensItsTransportAndIsRefused() {
    // a listener that floods the new connection past its bound before the stream opens
    SseService service =
        service(
            SseService.builder()
                .maxQueuedBytes(10)
                .slowConsumerGrace(Duration.ZERO)
                .listener(
                    new SseListener() {
                      @Override
                      public void onConnect(SseConnection connection) {
                        connection.send("0123456789");
                        connection.send("0123456789");
                      }
                    }));
    FaultyTransport transport = new FaultyTransport();
    AtomicInteger callbacks = new AtomicInteger();

    assertThatThrownBy(
            () ->
                service.connect(
                    transport,
                    ConnectOptions.builder()
                        .clientId("a")
                        .onDisconnect(callbacks::incrementAndGet)
                        .build()))
        .isInstanceOf(ConnectRefusedException.class)
        .hasMessageContaining("SLOW_CONSUMER")
        .satisfies(e -> assertThat(((ConnectRefusedException) e).status()).isEqualTo(503));

    assertThat(transport.memory.isOpened()).as("never opened").isFalse();
    assertThat(transport.closes).as("the adapter answers it, untouched").hasValue(0);
    assertThat(callbacks).hasValue(1);
    assertThat(service.stats().connections()).isZero();
  }

  @Test
  void aPeerGoneWhileOpeningClosesTheTransportOnlyAfterOpenReturned() {
    SseService service = service(SseService.builder());
    AtomicBoolean opening = new AtomicBoolean();
    AtomicBoolean closedWhileOpening = new AtomicBoolean();
    FaultyTransport transport =
        new FaultyTransport() {
          @Override
          public void open(Map<String, String> headers, Runnable onPeerGone) throws Exception {
            opening.set(true);
            super.open(headers, onPeerGone);
            onPeerGone.run(); // the client left while the response was being committed
            opening.set(false);
          }

          @Override
          public void close() {
            closedWhileOpening.compareAndSet(false, opening.get());
            super.close();
          }
        };

    SseConnection connection =
        service.connect(transport, ConnectOptions.builder().clientId("a").build());

    assertThat(connection.closeReason()).contains(CloseReason.PEER_GONE);
    assertThat(transport.closes).hasValue(1);
    assertThat(closedWhileOpening).as("closed only once open returned").isFalse();
    assertThat(service.stats().connections()).isZero();
  }

  @Test
  void aConnectionIsNeverVisibleBeforeItsClientIsBound() throws Exception {
    // the closer may fall behind: more than the default 64 connections of one client wait for it
    SseService service = service(SseService.builder().maxConnectionsPerClient(Integer.MAX_VALUE));
    AtomicBoolean connecting = new AtomicBoolean(true);
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch started = new CountDownLatch(1);
    Thread closer =
        new Thread(
            () -> {
              started.countDown();
              while (connecting.get()) {
                for (SseClient client : service.clients()) {
                  for (SseConnection c : client.connections()) {
                    try {
                      c.client();
                      c.close(); // ends and leaves the registry at once
                    } catch (RuntimeException e) {
                      failures.add(e);
                    }
                  }
                }
              }
            });
    closer.start();
    started.await();
    for (int i = 0; i < 20_000; i++) {
      service.connect(
          new InMemoryTransport(false), ConnectOptions.builder().clientId("c" + (i % 50)).build());
    }
    connecting.set(false);
    closer.join();
    service.clients().forEach(c -> c.connections().forEach(SseConnection::close));

    assertThat(failures).isEmpty();
    assertThat(service.stats().connections()).isZero();
    assertThat(service.groups()).isEmpty();
  }

  @Test
  void connectsRacingCloseAreRefusedOrEndedNeverLeftBehind() throws Exception {
    for (int round = 0; round < 20; round++) {
      SseService service = service(SseService.builder().shutdownTimeout(Duration.ofSeconds(2)));
      Queue<InMemoryTransport> accepted = new ConcurrentLinkedQueue<>();
      Queue<SseConnection> connections = new ConcurrentLinkedQueue<>();
      Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
      AtomicInteger refused = new AtomicInteger();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> connectors = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread thread =
            new Thread(
                () -> {
                  try {
                    go.await();
                    for (int i = 0; i < 200; i++) {
                      InMemoryTransport transport = new InMemoryTransport();
                      try {
                        connections.add(service.connect(transport, ConnectOptions.defaults()));
                        accepted.add(transport);
                      } catch (ConnectRefusedException e) {
                        refused.incrementAndGet();
                      }
                    }
                  } catch (Throwable e) {
                    unexpected.add(e);
                  }
                });
        thread.start();
        connectors.add(thread);
      }
      go.countDown();
      Thread.sleep(round % 3);
      service.close();
      for (Thread t : connectors) {
        t.join();
      }

      assertThat(unexpected).isEmpty();
      assertThat(service.stats().connections()).as("none left registered").isZero();
      assertThat(connections).allSatisfy(c -> assertThat(c.closeReason()).isPresent());
      assertThat(accepted).allSatisfy(t -> assertThat(t.isClosed()).isTrue());
      assertThat(accepted.size() + refused.get()).isEqualTo(800);
    }
  }

  @Test
  void outOfRangeOptionsAreRefusedWhenSetNamingTheOption() {
    assertThatThrownBy(
            () ->
                SseService.builder()
                    .shutdownReconnectWindow(Duration.ZERO, Duration.ofDays(100_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("max: ");
    assertThatThrownBy(() -> SseService.builder().retry(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("retry: ");
    assertThatThrownBy(() -> SseService.builder().keepAliveInterval(Duration.ofDays(400)))
        .hasMessageStartingWith("keepAliveInterval: ")
        .hasMessageContaining("365 days");
    assertThatThrownBy(() -> SseEvent.builder().retry(Duration.ofDays(1_000)).build())
        .hasMessageStartingWith("retry: ");
    assertThatThrownBy(() -> SseService.builder().nodeId("a.b")).hasMessageStartingWith("nodeId: ");
  }
}
