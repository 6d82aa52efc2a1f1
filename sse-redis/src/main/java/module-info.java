/** sse-service on Redis: clusters of services with a shared log, replay and directory. */
module io.sseservice.redis {
  requires transitive io.sseservice;
  requires lettuce.core;
  requires reactor.core;
  requires com.fasterxml.jackson.databind;
  requires static org.jspecify;

  exports io.sseservice.redis;
}
