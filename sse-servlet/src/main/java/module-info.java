/** sse-service adapter for Jakarta Servlet 6 containers (async, non-blocking writes). */
module io.sseservice.servlet {
  requires transitive io.sseservice;
  requires static transitive jakarta.servlet;
  requires static transitive org.jspecify; // its @Nullable is part of the API

  exports io.sseservice.servlet;
}
