package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.sseservice.CloseReason;
import io.sseservice.ConnectOptions;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A transport that throws from write, dispatchWrite or close fails its own connection only: the
 * sender, the other connections, the keep-alive tick and shutdown never see the exception.
 */
class FaultIsolationTest {

  private final RecordingListener listener = new RecordingListener();
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<SseService> services = new ArrayList<>();

  private SseService service(SseService.Builder builder) {
    SseService s = builder.listener(listener).ticker(clock).scheduler(scheduler).build();
    services.add(s);
    return s;
  }

  @AfterEach
  void closeAll() {
    services.forEach(SseService::close);
    scheduler.shutdownNow();
  }

  private static SseConnection connect(
      SseService service, io.sseservice.spi.Transport t, String id) {
    return service.connect(t, ConnectOptions.builder().clientId(id).build());
  }

  @Test
  void aWriteThatThrowsFailsOnlyItsConnectionAndTheBroadcastGoesOn() {
    SseService service = service(SseService.builder().keepAliveInterval(Duration.ZERO));
    InMemoryTransport before = new InMemoryTransport();
    FaultyTransport broken = new FaultyTransport();
    InMemoryTransport after = new InMemoryTransport();
    AtomicInteger callbacks = new AtomicInteger();
    connect(service, before, "a");
    SseConnection brokenConnection =
        service.connect(
            broken,
            ConnectOptions.builder()
                .clientId("b")
                .onDisconnect(callbacks::incrementAndGet)
                .build());
    connect(service, after, "c");
    broken.onWrite = new IllegalStateException("transport bug");

    assertThatCode(() -> service.sendToAll("to all")).doesNotThrowAnyException();

    assertThat(before.text()).isEqualTo("data: to all\n\n");
    assertThat(after.text()).isEqualTo("data: to all\n\n");
    assertThat(brokenConnection.closeReason()).contains(CloseReason.PEER_GONE);
    assertThat(callbacks).hasValue(1);
    assertThat(broken.closes).hasValue(1);
    assertThat(service.client("b")).isEmpty();
    assertThat(service.stats().connections()).isEqualTo(2);
    service.sendToAll("again");
    assertThat(after.text()).endsWith("data: again\n\n");
    assertThat(callbacks).hasValue(1);
  }

  @Test
  void aDispatchThatThrowsFailsOnlyItsConnection() {
    SseService service = service(SseService.builder().keepAliveInterval(Duration.ZERO));
    FaultyTransport broken = new FaultyTransport();
    InMemoryTransport fine = new InMemoryTransport();
    SseConnection brokenConnection = connect(service, broken, "b");
    connect(service, fine, "c");
    broken.onDispatch = new IllegalStateException("event loop gone");

    assertThatCode(() -> service.sendToAll("x")).doesNotThrowAnyException();

    assertThat(fine.text()).isEqualTo("data: x\n\n");
    assertThat(brokenConnection.closeReason()).contains(CloseReason.PEER_GONE);
    assertThat(listener.disconnects()).hasSize(1);
    assertThat(service.stats().connections()).isEqualTo(1);
  }

  @Test
  void aPingThatThrowsDoesNotCostTheOtherConnectionsTheirPing() {
    SseService service = service(SseService.builder().keepAliveInterval(Duration.ofSeconds(20)));
    List<InMemoryTransport> fine = new ArrayList<>();
    List<FaultyTransport> broken = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      FaultyTransport b = new FaultyTransport();
      b.onWrite = new IllegalStateException("transport bug " + i);
      broken.add(b);
      connect(service, b, "broken" + i);
      InMemoryTransport f = new InMemoryTransport();
      fine.add(f);
      connect(service, f, "fine" + i);
    }

    clock.advance(Duration.ofSeconds(21));
    scheduler.tick();

    fine.forEach(f -> assertThat(f.text()).isEqualTo(": ping\n\n"));
    assertThat(service.stats().connections()).isEqualTo(5);
    assertThat(listener.disconnects())
        .extracting(RecordingListener.Disconnect::reason)
        .containsOnly(CloseReason.PEER_GONE)
        .hasSize(5);
    clock.advance(Duration.ofSeconds(21));
    scheduler.tick();
    fine.forEach(f -> assertThat(f.text()).isEqualTo(": ping\n\n: ping\n\n"));
  }

  @Test
  void aCloseThatThrowsDoesNotStopTheServiceClosingTheOthers() {
    SseService service =
        service(
            SseService.builder()
                .keepAliveInterval(Duration.ZERO)
                .shutdownReconnectWindow(Duration.ZERO, Duration.ZERO));
    List<FaultyTransport> transports = new ArrayList<>();
    AtomicInteger callbacks = new AtomicInteger();
    for (int i = 0; i < 6; i++) {
      FaultyTransport t = new FaultyTransport();
      if (i % 2 == 0) {
        t.onClose = new IllegalStateException("close bug " + i);
      }
      transports.add(t);
      service.connect(
          t,
          ConnectOptions.builder()
              .clientId("c" + i)
              .onDisconnect(callbacks::incrementAndGet)
              .build());
    }

    assertThatCode(service::close).doesNotThrowAnyException();

    transports.forEach(t -> assertThat(t.closes).hasValue(1));
    assertThat(callbacks).hasValue(6);
    assertThat(service.stats().connections()).isZero();
  }

  @Test
  void aTransportCompletingTwiceOrLateCannotRestartAFailedConnection() {
    SseService service = service(SseService.builder().keepAliveInterval(Duration.ZERO));
    io.sseservice.spi.WriteCallback[] held = new io.sseservice.spi.WriteCallback[1];
    FaultyTransport broken =
        new FaultyTransport() {
          @Override
          public void write(byte[][] frames, int count, io.sseservice.spi.WriteCallback callback) {
            held[0] = callback;
            throw new IllegalStateException("threw after taking the callback");
          }
        };
    SseConnection connection = connect(service, broken, "a");
    service.sendToAll("x");
    assertThat(connection.isOpen()).isFalse();

    held[0].completed(); // a late completion of the write that threw
    held[0].completed();

    assertThat(service.sendToAll("y")).isZero();
    assertThat(listener.disconnects()).hasSize(1);
  }
}
