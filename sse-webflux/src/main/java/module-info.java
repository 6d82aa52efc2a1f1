/**
 * sse-service adapter for Spring WebFlux. Spring, Reactor and the servers are automatic modules
 * supplied by the application ({@code requires static}); Spring's and Reactor's types are part of
 * this module's API, hence transitive.
 */
module io.sseservice.webflux {
  requires transitive io.sseservice;
  requires static transitive spring.web;
  requires static transitive spring.webflux;
  requires static transitive reactor.core;
  requires static transitive org.reactivestreams;
  requires static spring.core;
  // asked only when present: the protocol version, and cutting a stuck connection
  requires static reactor.netty.core;
  requires static reactor.netty.http;
  requires static io.netty.codec.http;
  requires static io.netty.transport;
  requires static io.netty.common;
  requires static jakarta.servlet;
  requires static transitive org.jspecify; // its @Nullable is part of the API

  exports io.sseservice.webflux;
}
