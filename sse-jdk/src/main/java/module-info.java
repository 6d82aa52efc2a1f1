/** sse-service adapter for the JDK's built-in HTTP server ({@code com.sun.net.httpserver}). */
module io.sseservice.jdk {
  requires transitive io.sseservice;
  requires transitive jdk.httpserver;
  requires static transitive org.jspecify; // its @Nullable is part of the API

  exports io.sseservice.jdk;
}
