package io.sseservice.spring;

import io.sseservice.InMemoryEventHistory;
import io.sseservice.SseService;

/**
 * Copies {@link SseProperties} onto an {@link SseService.Builder}. The builder validates each
 * value, so a bad property (a negative duration, {@code min > max}) fails startup with the
 * builder's own message.
 */
final class SsePropertiesMapper {

  private SsePropertiesMapper() {}

  static void apply(SseProperties properties, SseService.Builder builder) {
    builder.keepAliveInterval(properties.getKeepAliveInterval())
        .defaultGroup(properties.getDefaultGroup())
        .maxQueuedBytes(properties.getMaxQueuedBytes().toBytes())
        .slowConsumerPolicy(properties.getSlowConsumerPolicy())
        .writeTimeout(properties.getWriteTimeout())
        .shutdownTimeout(properties.getShutdownTimeout())
        .shutdownReconnectWindow(properties.getShutdownReconnectWindow().getMin(),
            properties.getShutdownReconnectWindow().getMax());
    if (properties.getRetry() != null) {
      builder.retry(properties.getRetry());
    }
    SseProperties.History history = properties.getHistory();
    if (history.isEnabled()) {
      builder.history(InMemoryEventHistory.builder()
          .maxEvents(history.getMaxEvents())
          .maxBytes(history.getMaxBytes().toBytes())
          .maxAge(history.getMaxAge())
          .build());
    }
  }
}
