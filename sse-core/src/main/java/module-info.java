/** sse-service core: the service, its registry and encoder, and the SPIs. JDK only. */
module io.sseservice {
  requires static org.jspecify;

  exports io.sseservice;
  exports io.sseservice.spi;
  exports io.sseservice.internal to
      io.sseservice.jdk,
      io.sseservice.jackson,
      io.sseservice.servlet,
      io.sseservice.netty,
      io.sseservice.vertx,
      io.sseservice.webflux,
      io.sseservice.test;
}
