package io.sseservice.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.InMemoryTransport;
import io.sseservice.test.RedisServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code sse} health indicator, the same on both Boot lines; each line's test says how to
 * read its {@code Health} type and which auto-configuration classes its jar has.
 */
abstract class SseHealthContract {

  /** A health as the line's {@code HealthIndicator} reports it. */
  record Reading(String status, Map<String, Object> details) {}

  /** The auto-configurations the published jar activates on this line (the others included). */
  abstract Class<?>[] healthConfigurations();

  /** The package whose absence means "no actuator" on this line. */
  abstract String healthApiPackage();

  /** Calls the {@code sseHealthIndicator} bean. */
  abstract Reading health(ApplicationContext context);

  ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class))
        .withConfiguration(AutoConfigurations.of(healthConfigurations()));
  }

  @Test
  void upWithTheServicesCounts() {
    runner()
        .run(
            context -> {
              SseService service = context.getBean(SseService.class);
              join(service, "ann", "default");
              join(service, "ann", "default");
              join(service, "bob", "room-7");

              Reading health = health(context);

              assertThat(health.status()).isEqualTo("UP");
              assertThat(health.details())
                  .containsExactly(
                      entry("nodeId", service.nodeId()),
                      entry("connections", 3),
                      entry("clients", 2),
                      entry("groups", 2),
                      entry("slowConsumerDisconnects", 0L),
                      entry("slowConsumerDisconnectsPerMinute", 0.0),
                      entry("eventsDropped", 0L));
            });
  }

  @Test
  void slowConsumersShowInTheDetails() {
    runner()
        .withPropertyValues(
            "sse.max-queued-bytes=20B", "sse.slow-consumer-grace=0s", "sse.shutdown-timeout=0s")
        .run(
            context -> {
              SseService service = context.getBean(SseService.class);
              join(service, "bob", "default").pause();
              for (int i = 0; i < 3; i++) {
                service.sendToAll("0123456789"); // the third overflows bob's 20 bytes
              }

              assertThat(health(context).details())
                  .contains(
                      entry("connections", 0),
                      entry("slowConsumerDisconnects", 1L),
                      entry("slowConsumerDisconnectsPerMinute", 1.0));
            });
  }

  @Test
  void outOfServiceOnceTheServiceIsClosed() {
    runner()
        .run(
            context -> {
              context.getBean(SseService.class).close();

              assertThat(health(context).status()).isEqualTo("OUT_OF_SERVICE");
            });
  }

  @Test
  void inARedisClusterTheDetailsSayWhetherRedisIsReachable() {
    runner()
        .withConfiguration(AutoConfigurations.of(SseRedisAutoConfiguration.class))
        .withPropertyValues(
            "sse.redis.uri=" + RedisServer.shared().uri(),
            "sse.redis.key-prefix=health" + System.nanoTime() + ":")
        .run(
            context ->
                assertThat(health(context).details())
                    .contains(entry("redisUnreachable", false), entry("publishFailures", 0L)));
  }

  @Test
  void offWithTheHealthProperty() {
    runner()
        .withPropertyValues("management.health.sse.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean("sseHealthIndicator");
              assertThat(context).hasSingleBean(SseService.class);
            });
    runner()
        .withPropertyValues("management.health.defaults.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("sseHealthIndicator"));
  }

  @Test
  void anApplicationWithoutActuatorWorksAsBefore() {
    runner()
        .withClassLoader(new FilteredClassLoader(healthApiPackage()))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean("sseHealthIndicator");
              assertThat(context).hasSingleBean(SseService.class);
            });
  }

  @Test
  void severalServicesAndNonePrimaryGetNoIndicator() {
    runner()
        .withUserConfiguration(TwoServices.class)
        .run(context -> assertThat(context).doesNotHaveBean("sseHealthIndicator"));
  }

  static InMemoryTransport join(SseService service, String clientId, String group) {
    InMemoryTransport transport = new InMemoryTransport();
    service.connect(transport, ConnectOptions.builder().clientId(clientId).group(group).build());
    return transport;
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoServices {

    @Bean
    SseService one() {
      return SseService.create();
    }

    @Bean
    SseService two() {
      return SseService.create();
    }
  }
}
