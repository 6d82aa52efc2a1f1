/** Clusters of SseService nodes on Redis: see {@link io.sseservice.redis.RedisCluster}. */
@NullMarked
package io.sseservice.redis;

import org.jspecify.annotations.NullMarked;
