package io.sseservice.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.redis.RedisCluster;
import io.sseservice.test.ClusterNodes;
import io.sseservice.test.InMemoryTransport;
import io.sseservice.test.RedisServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code sse.redis.*} makes the auto-configured service a node of a cluster on a real Redis. */
class SseRedisAutoConfigurationTest {

  private final String prefix = "spring" + System.nanoTime() + ":";
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(SseRedisAutoConfiguration.class, SseAutoConfiguration.class))
          .withPropertyValues("sse.redis.key-prefix=" + prefix, "sse.redis.directory-ttl=900ms");

  @Test
  void withoutAUriTheServiceStaysOnItsOwn() {
    runner.run(
        context -> {
          assertThat(context).doesNotHaveBean(RedisCluster.class);
          assertThat(context).hasSingleBean(SseService.class);
        });
  }

  @Test
  void twoApplicationsWithTheSameRedisAreOneCluster() {
    String uri = "sse.redis.uri=" + RedisServer.shared().uri();
    runner
        .withPropertyValues(uri, "sse.redis.node-id=node-a")
        .run(
            a ->
                runner
                    .withPropertyValues(uri, "sse.redis.node-id=node-b")
                    .run(
                        b -> {
                          SseService onA = a.getBean(SseService.class);
                          SseService onB = b.getBean(SseService.class);
                          InMemoryTransport phone = new InMemoryTransport();
                          String connectionId =
                              onB.connect(phone, ConnectOptions.builder().clientId("u1").build())
                                  .id();
                          assertThat(connectionId).startsWith("node-b.");

                          ClusterNodes.eventually()
                              .until(
                                  () ->
                                      onA.directory()
                                              .client("u1")
                                              .join()
                                              .map(c -> c.connections().size())
                                              .orElse(0)
                                          == 1);
                          onA.sendToClient("u1", "from node a");

                          ClusterNodes.eventually()
                              .until(() -> phone.text().contains("data: from node a\n"));
                        }));
  }

  @Test
  void severalServersBindFromAList() {
    runner
        .withPropertyValues(
            "sse.redis.uris[0]=" + RedisServer.shared(0).uri(),
            "sse.redis.uris[1]=" + RedisServer.shared(1).uri())
        .run(
            context ->
                assertThat(context.getBean(RedisCluster.class).toString())
                    .contains(":" + RedisServer.shared(0).port() + ",")
                    .contains(":" + RedisServer.shared(1).port()));
  }

  @Test
  void redisReachabilityIsAMeter() {
    runner
        .withPropertyValues("sse.redis.uri=" + RedisServer.shared().uri())
        .run(
            context -> {
              MeterRegistry registry = new SimpleMeterRegistry();
              context.getBeansOfType(MeterBinder.class).values().forEach(b -> b.bindTo(registry));
              assertThat(registry.get("sse.redis.unreachable").gauge().value()).isZero();
              assertThat(registry.get("sse.publish.failures").functionCounter().count()).isZero();
            });
  }

  @Test
  void conflictingSettingsFailStartupNamingTheProperties() {
    String uri = "sse.redis.uri=" + RedisServer.shared().uri();
    runner
        .withPropertyValues(uri, "sse.redis.uris=" + RedisServer.shared().uri())
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("sse.redis.uri and sse.redis.uris"));
    runner
        .withPropertyValues(uri, "sse.history.enabled=true")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("sse.history.enabled=true with sse.redis"));
  }
}
