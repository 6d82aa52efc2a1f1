package io.sseservice.redis.readme;

import io.sseservice.SseService;
import io.sseservice.redis.RedisCluster;

/** The README's cluster snippet, compiled by the build (ReadmeSnippetsTest checks the README). */
final class RedisSnippet {

  private RedisSnippet() {}

  static void run() {
    RedisCluster redis = RedisCluster.builder().uri("redis://localhost:6379").build();
    SseService service = redis.join(SseService.builder(), "node-a").build(); // a unique id per instance
    // the rest of the API is unchanged; on shutdown: service.close(); redis.close();
    service.close();
    redis.close();
  }
}
