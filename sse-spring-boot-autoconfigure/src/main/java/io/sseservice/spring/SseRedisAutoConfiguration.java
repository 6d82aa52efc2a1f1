package io.sseservice.spring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sseservice.redis.RedisCluster;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Makes the auto-configured {@code SseService} a node of a {@link RedisCluster} when sse-redis is
 * on the classpath and {@code sse.redis.uri} or {@code sse.redis.uris} is set
 * ({@link SseRedisProperties}). An application's own {@code RedisCluster} bean is used instead of
 * one built from the properties; either way the service joins it through a
 * {@link SseServiceBuilderCustomizer}, so an application's own customizers still run after it.
 * With Micrometer, the gauge {@code sse.redis.unreachable} is 1 while a Redis server is
 * unreachable.
 *
 * <p>The cluster bean is closed when the context closes, after the service (which closes when the
 * context stops).
 *
 * <p>Thread-safety: configuration; Spring calls it on one thread while the context starts.
 */
@AutoConfiguration(before = SseAutoConfiguration.class)
@ConditionalOnClass(RedisCluster.class)
@Conditional(SseRedisAutoConfiguration.RedisConfigured.class)
@EnableConfigurationProperties(SseRedisProperties.class)
public class SseRedisAutoConfiguration {

  /** Builds the cluster's Redis clients from {@code sse.redis.*}. */
  @Bean
  @ConditionalOnMissingBean
  public RedisCluster sseRedisCluster(SseRedisProperties properties) {
    RedisCluster.Builder b = RedisCluster.builder();
    SsePropertiesMapper.set("sse.redis.uris", properties.servers(), b::uris);
    SsePropertiesMapper.set("sse.redis.key-prefix", properties.getKeyPrefix(), b::keyPrefix);
    SsePropertiesMapper.set("sse.redis.max-events", properties.getMaxEvents(), b::maxEvents);
    SsePropertiesMapper.set("sse.redis.max-age", properties.getMaxAge(), b::maxAge);
    SsePropertiesMapper.set(
        "sse.redis.directory-ttl", properties.getDirectoryTtl(), b::directoryTtl);
    SsePropertiesMapper.set(
        "sse.redis.max-pending-sends", properties.getMaxPendingSends(), b::maxPendingSends);
    SsePropertiesMapper.set(
        "sse.redis.outage-timeout", properties.getOutageTimeout(), b::outageTimeout);
    return b.build();
  }

  /** Joins the service to the cluster: its node id, backplane (and history) and directory. */
  @Bean
  SseServiceBuilderCustomizer sseRedisJoin(
      RedisCluster cluster, SseRedisProperties properties, SseProperties sse) {
    if (sse.getHistory().isEnabled()) {
      throw new IllegalStateException(
          "sse.history.enabled=true with sse.redis.*: in a cluster the"
              + " Redis streams are the history (sized by sse.redis.max-events and"
              + " sse.redis.max-age); remove sse.history.*");
    }
    return builder -> {
      if (properties.getNodeId() != null) {
        builder.nodeId(properties.getNodeId());
      }
      builder.backplane(cluster.backplane()).directory(cluster.directory());
    };
  }

  /** Publishes whether Redis is reachable, as Spring Boot's actuator binds every binder. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class RedisMetricsConfiguration {

    @Bean
    MeterBinder sseRedisMeterBinder(RedisCluster cluster) {
      return registry ->
          Gauge.builder("sse.redis.unreachable", cluster, c -> c.isUnreachable() ? 1 : 0)
              .description(
                  "1 while a Redis server of the cluster is unreachable (sends wait for it)")
              .register(registry);
    }
  }

  /**
   * On when {@code sse.redis.uri} or {@code sse.redis.uris} is set, in any form the binder reads
   * ({@code uris=a,b}, {@code uris[0]=a}, a YAML list).
   */
  static final class RedisConfigured extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(
        ConditionContext context, AnnotatedTypeMetadata metadata) {
      Binder binder = Binder.get(context.getEnvironment());
      boolean uri = binder.bind("sse.redis.uri", String.class).isBound();
      boolean uris =
          binder
              .bind("sse.redis.uris", Bindable.listOf(String.class))
              .map(list -> !list.isEmpty())
              .orElse(false);
      return uri || uris
          ? ConditionOutcome.match("sse.redis.uri(s) is set")
          : ConditionOutcome.noMatch("neither sse.redis.uri nor sse.redis.uris is set");
    }
  }
}
