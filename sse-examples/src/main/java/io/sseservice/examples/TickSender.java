package io.sseservice.examples;

import io.sseservice.SseService;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code event: tick} with {@code {"time": "<ISO-8601 instant>"}} to the default group at a
 * fixed rate, so an open page shows live events before anyone clicks anything.
 */
final class TickSender implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TickSender.class);

  private final @Nullable ScheduledExecutorService executor;

  private TickSender(@Nullable ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /** Starts ticking every {@code interval}; {@link Duration#ZERO} starts nothing. */
  static TickSender start(SseService service, Duration interval) {
    if (interval.isZero()) {
      return new TickSender(null);
    }
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(ExampleApp.daemon("ticker"));
    long millis = interval.toMillis();
    executor.scheduleAtFixedRate(() -> tick(service), millis, millis, TimeUnit.MILLISECONDS);
    return new TickSender(executor);
  }

  private static void tick(SseService service) {
    // an exception would silently cancel every later tick, so none may escape
    try {
      int reached = service.sendToAll(Map.of("time", Instant.now().toString()), "tick");
      LOG.debug("tick reached {} connections", reached);
    } catch (RuntimeException e) {
      LOG.warn("tick failed", e);
    }
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
