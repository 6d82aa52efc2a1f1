package io.sseservice;

import io.sseservice.spi.Backplane;
import io.sseservice.spi.ClientDirectory;
import io.sseservice.spi.EventHistory;
import io.sseservice.spi.MessageCodec;
import io.sseservice.spi.Ticker;
import io.sseservice.spi.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A service's options, fixed when it is built: {@link SseService.Builder#build()} makes one and
 * every part of the service reads it. Values were checked one by one by the builder's setters;
 * the constructor checks how they fit together.
 *
 * <p>Thread-safety: immutable (the listeners list is unmodifiable).
 */
record ServiceConfig(
    String nodeId,
    String defaultGroup,
    Duration keepAliveInterval,
    Duration writeTimeout,
    Duration shutdownTimeout,
    Duration shutdownReconnectMin,
    Duration shutdownReconnectMax,
    @Nullable Duration retry,
    long maxQueuedBytes,
    long hardMaxQueuedBytes,
    int maxConnections,
    int maxConnectionsPerClient,
    int maxConnectionsPerGroup,
    int maxGroups,
    long maxEventBytes,
    Duration slowConsumerGrace,
    SlowConsumerPolicy slowConsumerPolicy,
    int replayLimit,
    Supplier<String> clientIdGenerator,
    @Nullable MessageCodec messageCodec,
    @Nullable ScheduledExecutorService scheduler,
    Ticker ticker,
    Clock clock,
    List<SseListener> listeners,
    List<PresenceListener> presenceListeners,
    @Nullable EventHistory history,
    @Nullable Backplane backplane,
    @Nullable ClientDirectory directory,
    @Nullable UnaryOperator<Transport> transportDecorator) {

  ServiceConfig {
    listeners = List.copyOf(listeners);
    presenceListeners = List.copyOf(presenceListeners);
    if (shutdownReconnectMax.compareTo(shutdownReconnectMin) < 0) {
      throw new IllegalArgumentException(
          "shutdownReconnectWindow: "
              + shutdownReconnectMin
              + ".."
              + shutdownReconnectMax
              + " (expected: min <= max)");
    }
    if (hardMaxQueuedBytes < maxQueuedBytes) {
      throw new IllegalArgumentException(
          "hardMaxQueuedBytes: "
              + hardMaxQueuedBytes
              + " (expected: >= maxQueuedBytes, "
              + maxQueuedBytes
              + ")");
    }
    if (maxEventBytes > hardMaxQueuedBytes) {
      throw new IllegalArgumentException(
          "maxEventBytes: "
              + maxEventBytes
              + " (expected: <= hardMaxQueuedBytes, "
              + hardMaxQueuedBytes
              + ")");
    }
    if (backplane != null) {
      EventHistory shared = backplane.history().orElse(null);
      if (history == null) {
        history = shared;
      } else if (history != shared) {
        throw new IllegalArgumentException(
            "history: "
                + history
                + " (expected: with a backplane,"
                + " the backplane's own history, backplane.history(), or none: event ids are assigned"
                + " where the cluster orders the events)");
      }
    }
  }

  /** Whether sends go through a backplane to every node of a cluster. */
  boolean clustered() {
    return backplane != null;
  }
}
