/**
 * sse-service core: the service, its registry and encoder, and the SPIs. JDK only. The internal
 * package is shared with the adapters only; building the core alone, they are not there yet.
 */
@SuppressWarnings("module")
module io.sseservice {
  requires static transitive org.jspecify; // its @Nullable is part of the API

  exports io.sseservice;
  exports io.sseservice.spi;
  exports io.sseservice.internal to
      io.sseservice.jdk,
      io.sseservice.jackson,
      io.sseservice.servlet,
      io.sseservice.netty,
      io.sseservice.vertx,
      io.sseservice.webflux,
      io.sseservice.redis,
      io.sseservice.test;
}
