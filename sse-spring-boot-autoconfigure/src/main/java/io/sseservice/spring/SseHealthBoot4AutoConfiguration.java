package io.sseservice.spring;

import io.sseservice.SseService;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Contributes the {@code sse} health indicator on Spring Boot 4, whose health API moved to
 * spring-boot-health ({@code org.springframework.boot.health.contributor});
 * {@code SseHealthBoot3AutoConfiguration} does the same on Boot 3, and its description holds for
 * both: UP while the service is open, OUT_OF_SERVICE once it is closed, details from
 * {@code SseService.stats()}. Only with spring-boot-health on the class path (Boot 4's
 * spring-boot-starter-actuator brings it), one {@code SseService} (or a primary one) and
 * {@code management.health.sse.enabled} not false.
 *
 * <p>Thread-safety: configuration; Spring calls it on one thread while the context starts. The
 * indicator is thread-safe.
 */
@AutoConfiguration(after = SseAutoConfiguration.class)
@ConditionalOnClass(
    name = {
      "org.springframework.boot.health.contributor.HealthIndicator",
      "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator"
    })
@ConditionalOnSingleCandidate(SseService.class)
public class SseHealthBoot4AutoConfiguration {

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
