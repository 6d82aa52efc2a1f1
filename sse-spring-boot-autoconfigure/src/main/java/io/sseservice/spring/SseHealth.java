package io.sseservice.spring;

import io.sseservice.SseService;
import io.sseservice.SseStats;
import io.sseservice.redis.RedisCluster;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.ClassUtils;

/**
 * What the {@code sse} health indicator reports, the same on Spring Boot 3 and 4 (each line has
 * its own {@code HealthIndicator} type, see {@code SseHealthBoot3AutoConfiguration} and
 * {@code SseHealthBoot4AutoConfiguration}). Up while the service is open, out of service once it
 * is closed. Reads only {@link SseService#stats()} and, in a Redis cluster, whether Redis is
 * reachable: no walk over the connections.
 *
 * <p>Thread-safety: thread-safe.
 */
final class SseHealth {

  private static final boolean REDIS_PRESENT =
      ClassUtils.isPresent("io.sseservice.redis.RedisCluster", SseHealth.class.getClassLoader());

  private final SseService service;
  private final PerMinuteRate slowConsumers;
  private final @Nullable BooleanSupplier redisUnreachable;

  SseHealth(SseService service, @Nullable BooleanSupplier redisUnreachable) {
    this.service = service;
    this.slowConsumers =
        new PerMinuteRate(System::nanoTime, service.stats().slowConsumerDisconnects());
    this.redisUnreachable = redisUnreachable;
  }

  /** Reports on {@code service}, and on the application's {@code RedisCluster} bean if unique. */
  static SseHealth of(SseService service, BeanFactory beans) {
    return new SseHealth(service, REDIS_PRESENT ? Redis.unreachable(beans) : null);
  }

  /** Returns whether the service is open (the health is UP; OUT_OF_SERVICE once closed). */
  boolean isUp() {
    return !service.isClosed();
  }

  /** Returns the details, in the order they are shown. */
  Map<String, Object> details() {
    SseStats stats = service.stats();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("nodeId", service.nodeId());
    details.put("connections", stats.connections());
    details.put("clients", stats.clients());
    details.put("groups", stats.groups());
    details.put("slowConsumerDisconnects", stats.slowConsumerDisconnects());
    details.put(
        "slowConsumerDisconnectsPerMinute",
        slowConsumers.perMinute(stats.slowConsumerDisconnects()));
    details.put("eventsDropped", stats.eventsDropped());
    if (redisUnreachable != null) {
      details.put("redisUnreachable", redisUnreachable.getAsBoolean());
      details.put("publishFailures", stats.publishFailures());
    }
    return details;
  }

  /** Names {@code RedisCluster} only when sse-redis is present, so this class loads without it. */
  private static final class Redis {

    static @Nullable BooleanSupplier unreachable(BeanFactory beans) {
      RedisCluster cluster = beans.getBeanProvider(RedisCluster.class).getIfUnique();
      return cluster == null ? null : cluster::isUnreachable;
    }
  }
}
