/** sse-service on Redis: clusters of services with a shared log, replay and directory. */
module io.sseservice.redis {
  requires transitive io.sseservice;
  requires transitive lettuce.core; // RedisURI is in the builder's API
  requires reactor.core;
  requires com.fasterxml.jackson.databind;
  requires static transitive org.jspecify; // its @Nullable is part of the API

  exports io.sseservice.redis;
}
