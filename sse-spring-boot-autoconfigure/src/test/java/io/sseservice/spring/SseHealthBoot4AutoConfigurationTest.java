package io.sseservice.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * The health indicator on Spring Boot 4 ({@code -Pspring-boot-4}). That build leaves out the Boot
 * 3 configuration, which the published jar has: its guard, Boot 3's health API, is absent here.
 */
class SseHealthBoot4AutoConfigurationTest extends SseHealthContract {

  @Override
  Class<?>[] healthConfigurations() {
    return new Class<?>[] {SseHealthBoot4AutoConfiguration.class};
  }

  @Override
  String healthApiPackage() {
    return "org.springframework.boot.health";
  }

  @Override
  Reading health(ApplicationContext context) {
    Health health = context.getBean("sseHealthIndicator", HealthIndicator.class).health();
    assertThat(health).isNotNull();
    return new Reading(health.getStatus().getCode(), health.getDetails());
  }

  @Test
  void theBoot3ConfigurationsGuardIsAbsent() {
    assertThat(
            ClassUtils.isPresent("org.springframework.boot.actuate.health.HealthIndicator", null))
        .isFalse();
    runner().run(context -> assertThat(context).hasSingleBean(HealthIndicator.class));
  }
}
