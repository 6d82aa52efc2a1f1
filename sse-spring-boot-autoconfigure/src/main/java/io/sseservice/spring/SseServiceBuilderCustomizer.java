package io.sseservice.spring;

import io.sseservice.SseService;

/**
 * Adjusts the builder of the auto-configured {@link SseService} for what properties cannot say:
 * listeners, a client id generator, an event history of your own. Every customizer bean is
 * applied, in {@link org.springframework.core.annotation.Order @Order}, after the
 * {@code sse.*} properties, so a customizer has the last word.
 *
 * <pre>{@code
 * @Bean
 * SseServiceBuilderCustomizer sseLogging() {
 *   return builder -> builder.listener(new LoggingSseListener());
 * }
 * }</pre>
 *
 * <p>Thread-safety: called once, on the thread that creates the service bean.
 */
@FunctionalInterface
public interface SseServiceBuilderCustomizer {

  /** Changes {@code builder} before the service is built. */
  void customize(SseService.Builder builder);
}
