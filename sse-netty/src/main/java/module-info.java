/** sse-service adapter for Netty: HTTP/1.1 and HTTP/2 (h2c) event streams on event loops. */
module io.sseservice.netty {
  requires transitive io.sseservice;
  requires static transitive io.netty.codec.http;
  requires static transitive io.netty.codec.http2;
  requires static io.netty.transport;
  requires static io.netty.buffer;
  requires static io.netty.common;
  requires static io.netty.codec;
  requires static io.netty.handler;
  requires static org.jspecify;

  exports io.sseservice.netty;
}
