package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sseservice.CloseReason;
import io.sseservice.ConnectOptions;
import io.sseservice.SlowConsumerPolicy;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import io.sseservice.spi.Transport;
import io.sseservice.spi.WriteCallback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The slow-consumer rule: a queue over {@code maxQueuedBytes} is a burst until it stays over for
 * the grace period or passes the hard bound; and publishers wait for capacity.
 */
class BackPressureTest {

  /** 40 bytes once encoded ({@code data: } + 32 + two newlines). */
  private static final String FORTY = "x".repeat(32);

  private final RecordingListener listener = new RecordingListener();
  private final ManualClock clock = new ManualClock();
  private final List<SseService> services = new ArrayList<>();

  @AfterEach
  void closeAll() {
    services.forEach(SseService::close);
  }

  private SseService service(SseService.Builder builder) {
    SseService s =
        builder
            .listener(listener)
            .ticker(clock)
            .clock(clock)
            .keepAliveInterval(Duration.ZERO)
            .shutdownTimeout(Duration.ZERO)
            .build();
    services.add(s);
    return s;
  }

  private static SseConnection connect(SseService service, Transport transport) {
    return service.connect(transport, ConnectOptions.defaults());
  }

  @Test
  void aBurstPastTheBoundWithinTheGraceIsQueuedWholeAndDelivered() {
    SseService service = service(SseService.builder().maxQueuedBytes(100));
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = connect(service, transport);
    transport.pause();

    for (int i = 0; i < 10; i++) {
      assertThat(service.sendToAll(FORTY)).isEqualTo(1); // 400 bytes, 4x the bound
    }
    assertThat(connection.isOpen()).isTrue();
    transport.resume();

    assertThat(transport.text()).isEqualTo(("data: " + FORTY + "\n\n").repeat(10));
    assertThat(listener.slowConsumers()).isEmpty();
    assertThat(service.stats().slowConsumerDisconnects()).isZero();
  }

  @Test
  void aQueueStillOverTheBoundWhenTheGraceEndsIsASlowConsumer() {
    SseService service =
        service(SseService.builder().maxQueuedBytes(100).slowConsumerGrace(Duration.ofSeconds(5)));
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = connect(service, transport);
    transport.pause();
    for (int i = 0; i < 4; i++) {
      service.sendToAll(FORTY);
    }

    clock.advance(Duration.ofMillis(4_999));
    assertThat(service.sendToAll(FORTY)).as("within the grace").isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(service.sendToAll(FORTY)).as("the grace is over").isZero();

    assertThat(connection.closeReason()).contains(CloseReason.SLOW_CONSUMER);
    assertThat(listener.slowConsumers()).containsExactly(connection);
  }

  @Test
  void aBurstThatDrainsEndsTheEpisodeAndTheNextOneGetsAFreshGrace() {
    SseService service =
        service(SseService.builder().maxQueuedBytes(100).slowConsumerGrace(Duration.ofSeconds(5)));
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = connect(service, transport);
    for (int burst = 0; burst < 3; burst++) {
      transport.pause();
      for (int i = 0; i < 5; i++) {
        service.sendToAll(FORTY);
      }
      clock.advance(Duration.ofSeconds(4)); // 12 s over the bound in all, never 5 s at once
      transport.resume();
    }
    assertThat(connection.isOpen()).isTrue();
    assertThat(transport.data()).hasSize(15);
  }

  @Test
  void theGraceIsCheckedWithoutAnotherSend() {
    SseService service =
        SseService.builder()
            .maxQueuedBytes(100)
            .slowConsumerGrace(Duration.ofMillis(50))
            .keepAliveInterval(Duration.ZERO)
            .shutdownTimeout(Duration.ZERO)
            .build();
    services.add(service);
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = connect(service, transport);
    transport.pause();
    for (int i = 0; i < 4; i++) {
      service.sendToAll(FORTY);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> !connection.isOpen());
    assertThat(connection.closeReason()).contains(CloseReason.SLOW_CONSUMER);
  }

  @Test
  void theHardBoundMakesASlowConsumerAtOnce() {
    SseService service = service(SseService.builder().maxQueuedBytes(100).hardMaxQueuedBytes(200));
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = connect(service, transport);
    transport.pause();

    int[] reached = new int[7];
    for (int i = 0; i < reached.length; i++) {
      reached[i] = service.sendToAll(FORTY);
    }

    // the first is in flight, five (200 bytes) wait; the seventh would pass the hard bound
    assertThat(reached).containsExactly(1, 1, 1, 1, 1, 1, 0);
    assertThat(connection.closeReason()).contains(CloseReason.SLOW_CONSUMER);
  }

  @Test
  void dropOldestWaitsForTheGraceThenDropsDownToTheBound() {
    SseService service =
        service(
            SseService.builder()
                .maxQueuedBytes(100)
                .slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST));
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = connect(service, transport);
    transport.pause();
    for (int i = 0; i < 5; i++) {
      service.sendToAll("event" + i + "-" + "x".repeat(24)); // 40 bytes each
    }
    assertThat(service.stats().eventsDropped()).as("a burst within the grace").isZero();

    clock.advance(SseService.Builder.DEFAULT_SLOW_CONSUMER_GRACE);
    service.sendToAll("event5-" + "x".repeat(24));
    transport.resume();

    assertThat(connection.isOpen()).isTrue();
    // event0 was in flight; of the five queued the oldest went until the new one fit in 100
    assertThat(transport.data())
        .extracting(d -> d.substring(0, 6))
        .containsExactly("event0", "event4", "event5");
    assertThat(service.stats().eventsDropped()).isEqualTo(3);
    assertThat(listener.slowConsumers()).containsExactly(connection);
  }

  @Test
  void publishersWaitForAQueueOverItsBoundAndGoOnOnceItDrained() throws Exception {
    SseService service = service(SseService.builder().maxQueuedBytes(100));
    InMemoryTransport transport = new InMemoryTransport();
    connect(service, transport);
    assertThat(service.hasCapacity()).isTrue();
    transport.pause();
    for (int i = 0; i < 5; i++) {
      service.sendToAll(FORTY);
    }
    assertThat(service.hasCapacity()).isFalse();
    assertThat(service.awaitCapacity(Duration.ofMillis(20))).isFalse();

    CompletableFuture<Boolean> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return service.awaitCapacity(Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    transport.resume();

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(service.hasCapacity()).isTrue();
  }

  @Test
  void aConnectionWhoseWritesStalledHoldsNoPublisherBack() {
    SseService service =
        service(SseService.builder().maxQueuedBytes(100).slowConsumerGrace(Duration.ofSeconds(30)));
    InMemoryTransport stuck = new InMemoryTransport();
    connect(service, stuck);
    stuck.pause();
    for (int i = 0; i < 5; i++) {
      service.sendToAll(FORTY);
    }
    assertThat(service.hasCapacity()).isFalse();

    clock.advance(Duration.ofSeconds(1)); // its write made no progress for a second
    assertThat(service.hasCapacity()).isTrue();
  }

  @Test
  void aReaderThatKeepsReadingHoldsPublishersBackHoweverLargeTheBurst() {
    SseService service =
        service(
            SseService.builder()
                .maxQueuedBytes(64 * 1024)
                .slowConsumerGrace(Duration.ofSeconds(30)));
    SteppedTransport reader = new SteppedTransport();
    connect(service, reader);
    String kib = "x".repeat(1010); // 1018 bytes once encoded
    for (int i = 0; i < 1024; i++) { // 1 MiB, 16 times the bound, while the first write waits
      service.sendToAll(kib);
    }

    // the reader takes 80 KiB a second: each write lasts as long as its bytes take at that pace
    for (int write = 0; write < 10; write++) {
      long bytes = reader.pendingBytes();
      assertThat(bytes).as("write %d", write).isLessThanOrEqualTo(64 * 1024);
      clock.advance(Duration.ofMillis(bytes * 1000 / (80 * 1024)));
      assertThat(service.hasCapacity())
          .as("write %d: a reader that is still reading is no stalled one", write)
          .isFalse();
      reader.completeOne();
    }
  }

  /** Holds each write until {@link #completeOne}, as a reader that takes its time would. */
  private static final class SteppedTransport implements Transport {
    private @Nullable WriteCallback pending;
    private long pendingBytes;

    @Override
    public void open(Map<String, String> headers, Runnable onPeerGone) {}

    @Override
    public synchronized void write(byte[][] frames, int count, WriteCallback callback) {
      pending = callback;
      pendingBytes = 0;
      for (int i = 0; i < count; i++) {
        pendingBytes += frames[i].length;
      }
    }

    synchronized long pendingBytes() {
      return pendingBytes;
    }

    void completeOne() {
      WriteCallback callback;
      synchronized (this) {
        callback = pending;
        pending = null;
      }
      assertThat(callback).as("a write in flight").isNotNull();
      callback.completed(); // outside the lock: the next write starts from here
    }

    @Override
    public void close() {}
  }

  @Test
  void aClosedConnectionLeavesTheBacklog() {
    SseService service = service(SseService.builder().maxQueuedBytes(100));
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = connect(service, transport);
    transport.pause();
    for (int i = 0; i < 5; i++) {
      service.sendToAll(FORTY);
    }
    assertThat(service.hasCapacity()).isFalse();

    transport.peerGone();

    assertThat(service.hasCapacity()).isTrue();
  }

  @Test
  void aHardBoundBelowTheBoundIsRefusedNamingBoth() {
    assertThatThrownBy(
            () -> SseService.builder().maxQueuedBytes(1_000).hardMaxQueuedBytes(999).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hardMaxQueuedBytes: 999 (expected: >= maxQueuedBytes, 1000)");
    assertThatThrownBy(() -> SseService.builder().slowConsumerGrace(Duration.ofSeconds(-1)))
        .hasMessageStartingWith("slowConsumerGrace: ");
  }

  @Test
  void theHardBoundFollowsAHigherBound() throws Exception {
    SseService service = service(SseService.builder().maxQueuedBytes(32 << 20));
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = connect(service, transport);
    transport.pause();
    String mib = "y".repeat((1 << 20) - 8); // a frame of 1 MiB, the largest event by default
    for (int i = 0; i < 20; i++) {
      assertThat(service.sendToAll(mib)).isEqualTo(1); // past the default 16 MiB, under 32
    }
    assertThat(connection.isOpen()).isTrue();
  }
}
