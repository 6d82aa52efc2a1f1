package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.ConnectOptions;
import io.sseservice.InMemoryEventHistory;
import io.sseservice.SlowConsumerPolicy;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Slow-consumer episodes: reported once, and no work at all for listeners nobody registered. */
class SlowConsumerTest {

  /** A scheduler that counts the one-shot tasks handed to it. */
  private static final class CountingScheduler extends ScheduledThreadPoolExecutor {
    final AtomicInteger executed = new AtomicInteger();

    CountingScheduler() {
      super(1);
    }

    @Override
    public void execute(Runnable command) {
      executed.incrementAndGet();
      super.execute(command);
    }
  }

  @Test
  void droppingWithHistoryOnHandsNoTaskToTheSchedulerWhenNobodyListens() {
    CountingScheduler scheduler = new CountingScheduler();
    try (SseService service =
        SseService.builder()
            .scheduler(scheduler)
            .keepAliveInterval(Duration.ZERO)
            .shutdownTimeout(Duration.ZERO)
            .maxQueuedBytes(100)
            .slowConsumerGrace(Duration.ZERO)
            .slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST)
            .history(InMemoryEventHistory.create())
            .build()) {
      InMemoryTransport transport = new InMemoryTransport();
      service.connect(transport, ConnectOptions.defaults());
      transport.pause();

      for (int i = 0; i < 1_000; i++) {
        service.sendToAll("event " + i);
      }

      assertThat(service.stats().eventsDropped()).isGreaterThan(900);
      assertThat(scheduler.executed).hasValue(0);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aSlowConsumerIsReportedOncePerEpisode() {
    RecordingListener listener = new RecordingListener();
    try (SseService service =
        SseService.builder()
            .listener(listener)
            .keepAliveInterval(Duration.ZERO)
            .shutdownTimeout(Duration.ZERO)
            .maxQueuedBytes(100)
            .slowConsumerGrace(Duration.ZERO)
            .slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST)
            .build()) {
      InMemoryTransport transport = new InMemoryTransport();
      SseConnection connection = service.connect(transport, ConnectOptions.defaults());
      transport.pause();
      for (int i = 0; i < 50; i++) {
        service.sendToAll("first burst " + i);
      }
      assertThat(listener.slowConsumers()).containsExactly(connection);

      transport.resume(); // the queue drains: the episode ends
      transport.pause();
      for (int i = 0; i < 50; i++) {
        service.sendToAll("second burst " + i);
      }

      assertThat(listener.slowConsumers()).containsExactly(connection, connection);
      assertThat(listener.droppedEvents()).isEqualTo((int) service.stats().eventsDropped());
    }
  }
}
