/** sse-service adapter for Netty: HTTP/1.1 and HTTP/2 (h2c) event streams on event loops. */
module io.sseservice.netty {
  requires transitive io.sseservice;
  requires static transitive io.netty.codec.http;
  requires static transitive io.netty.codec.http2;
  requires static transitive io.netty.transport; // Channel and ChannelHandler are in the API
  requires static io.netty.buffer;
  requires static io.netty.common;
  requires static io.netty.codec;
  requires static io.netty.handler;
  requires static io.netty.transport.classes.epoll; // only when the application adds epoll
  requires static io.netty.transport.unix.common;
  requires static transitive org.jspecify; // its @Nullable is part of the API

  exports io.sseservice.netty;
}
