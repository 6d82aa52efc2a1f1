/** sse-service adapter for Jakarta Servlet 6 containers (async, non-blocking writes). */
module io.sseservice.servlet {
  requires transitive io.sseservice;
  requires static transitive jakarta.servlet;
  requires static org.jspecify;

  exports io.sseservice.servlet;
}
