/** sse-service adapter for Vert.x 5: event streams on HTTP/1.1 and HTTP/2 server requests. */
module io.sseservice.vertx {
  requires transitive io.sseservice;
  requires static transitive io.vertx.core;
  requires static transitive io.vertx.web;
  requires static io.netty.buffer; // the batches are Netty's pooled direct buffers
  requires static transitive org.jspecify; // its @Nullable is part of the API

  exports io.sseservice.vertx;
}
