package io.sseservice.spring;

import io.sseservice.SseService;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * Contributes the {@code sse} health indicator on Spring Boot 3, whose health API is in
 * spring-boot-actuator ({@code org.springframework.boot.actuate.health}); on Boot 4
 * {@link SseHealthBoot4AutoConfiguration} does. Only with actuator on the class path, one
 * {@code SseService} (or a primary one) and {@code management.health.sse.enabled} not false.
 *
 * <p>The indicator is UP while the service is open and OUT_OF_SERVICE once it is closed (the
 * application is shutting down: the service closes before the web server stops). Its details
 * come from {@code SseService.stats()}: {@code nodeId}, {@code connections}, {@code clients},
 * {@code groups}, {@code slowConsumerDisconnects} (since the start),
 * {@code slowConsumerDisconnectsPerMinute} (over about the last minute), {@code eventsDropped},
 * and in a Redis cluster {@code redisUnreachable} and {@code publishFailures}. An unreachable
 * Redis does not make it DOWN: sends wait for Redis (up to {@code sse.redis.outage-timeout}),
 * and every node would go DOWN together, leaving a load balancer nothing to route to.
 *
 * <p>Thread-safety: configuration; Spring calls it on one thread while the context starts. The
 * indicator is thread-safe.
 */
@AutoConfiguration(after = SseAutoConfiguration.class)
@ConditionalOnClass(
    name = {
      "org.springframework.boot.actuate.health.HealthIndicator",
      "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"
    })
@ConditionalOnSingleCandidate(SseService.class)
public class SseHealthBoot3AutoConfiguration {

  /**
   * Reports the service's state; the bean name makes the contributor {@code sse}. (The
   * health-indicator condition is here, not on the class: Spring loads every condition of a
   * class before it evaluates the class-name guard.)
   */
  @Bean
  @ConditionalOnEnabledHealthIndicator("sse")
  @ConditionalOnMissingBean(name = "sseHealthIndicator")
  public HealthIndicator sseHealthIndicator(SseService service, BeanFactory beans) {
    SseHealth health = SseHealth.of(service, beans);
    return () ->
        (health.isUp() ? Health.up() : Health.outOfService()).withDetails(health.details()).build();
  }
}
