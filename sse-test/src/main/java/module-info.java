/** sse-service test support: test client, recording listener, in-memory transport, manual clock, transport compatibility kit. */
module io.sseservice.test {
  requires transitive io.sseservice;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;
  requires awaitility;
  requires okhttp.eventsource;
  requires java.net.http;
  requires static org.jspecify;

  exports io.sseservice.test;
}
