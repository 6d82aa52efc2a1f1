package io.sseservice.spring;

import io.sseservice.InMemoryEventHistory;
import io.sseservice.SseService;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Copies {@link SseProperties} onto an {@link SseService.Builder}. The builder validates each
 * value; a value it refuses (a negative duration, {@code min > max}) fails startup with Spring
 * Boot's failure analysis naming the property, its value and the builder's reason.
 */
final class SsePropertiesMapper {

  private SsePropertiesMapper() {}

  static void apply(SseProperties properties, SseService.Builder builder) {
    set("sse.keep-alive-interval", properties.getKeepAliveInterval(), builder::keepAliveInterval);
    set("sse.default-group", properties.getDefaultGroup(), builder::defaultGroup);
    set(
        "sse.max-queued-bytes",
        properties.getMaxQueuedBytes(),
        size -> builder.maxQueuedBytes(size.toBytes()));
    set("sse.slow-consumer-grace", properties.getSlowConsumerGrace(), builder::slowConsumerGrace);
    DataSize hardMax = properties.getHardMaxQueuedBytes();
    if (hardMax != null) {
      set("sse.hard-max-queued-bytes", hardMax, size -> builder.hardMaxQueuedBytes(size.toBytes()));
    }
    set("sse.max-connections", properties.getMaxConnections(), builder::maxConnections);
    set(
        "sse.max-connections-per-client",
        properties.getMaxConnectionsPerClient(),
        builder::maxConnectionsPerClient);
    set(
        "sse.max-connections-per-group",
        properties.getMaxConnectionsPerGroup(),
        builder::maxConnectionsPerGroup);
    set("sse.max-groups", properties.getMaxGroups(), builder::maxGroups);
    DataSize maxEvent = properties.getMaxEventBytes();
    if (maxEvent != null) {
      set("sse.max-event-bytes", maxEvent, size -> builder.maxEventBytes(size.toBytes()));
    }
    set(
        "sse.slow-consumer-policy",
        properties.getSlowConsumerPolicy(),
        builder::slowConsumerPolicy);
    set("sse.write-timeout", properties.getWriteTimeout(), builder::writeTimeout);
    set("sse.shutdown-timeout", properties.getShutdownTimeout(), builder::shutdownTimeout);
    SseProperties.ShutdownReconnectWindow window = properties.getShutdownReconnectWindow();
    set(
        "sse.shutdown-reconnect-window",
        window.getMin() + ".." + window.getMax(),
        ignored -> builder.shutdownReconnectWindow(window.getMin(), window.getMax()));
    if (properties.getRetry() != null) {
      set("sse.retry", properties.getRetry(), builder::retry);
    }
    SseProperties.History history = properties.getHistory();
    if (history.isEnabled()) {
      InMemoryEventHistory.Builder h = InMemoryEventHistory.builder();
      set("sse.history.max-events", history.getMaxEvents(), h::maxEvents);
      set("sse.history.max-bytes", history.getMaxBytes(), size -> h.maxBytes(size.toBytes()));
      set(
          "sse.history.max-total-bytes",
          history.getMaxTotalBytes(),
          size -> h.maxTotalBytes(size.toBytes()));
      set("sse.history.max-age", history.getMaxAge(), h::maxAge);
      builder.history(h.build());
    }
  }

  /** Applies one property; a value the library refuses names the property in the failure. */
  static <T> void set(String property, T value, Consumer<T> setter) {
    try {
      setter.accept(value);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
    }
  }
}
