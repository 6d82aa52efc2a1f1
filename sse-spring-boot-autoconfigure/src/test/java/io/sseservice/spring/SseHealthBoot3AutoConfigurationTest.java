package io.sseservice.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

/** The health indicator on Spring Boot 3 (this build's default line). */
class SseHealthBoot3AutoConfigurationTest extends SseHealthContract {

  @Override
  Class<?>[] healthConfigurations() {
    return new Class<?>[] {
      SseHealthBoot3AutoConfiguration.class, SseHealthBoot4AutoConfiguration.class
    };
  }

  @Override
  String healthApiPackage() {
    return "org.springframework.boot.actuate.health";
  }

  @Override
  Reading health(ApplicationContext context) {
    Health health = context.getBean("sseHealthIndicator", HealthIndicator.class).health();
    return new Reading(health.getStatus().getCode(), health.getDetails());
  }

  @Test
  void onlyTheBoot3ConfigurationActivates() {
    assertThat(
            ClassUtils.isPresent(
                "org.springframework.boot.health.contributor.HealthIndicator", null))
        .as("Boot 4's health API on a Boot 3 class path")
        .isFalse();
    runner()
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(HealthIndicator.class)
                    .hasSingleBean(SseHealthBoot3AutoConfiguration.class)
                    .doesNotHaveBean(SseHealthBoot4AutoConfiguration.class));
  }
}
