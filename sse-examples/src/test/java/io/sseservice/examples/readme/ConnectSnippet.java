package io.sseservice.examples.readme;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sseservice.ConnectOptions;
import io.sseservice.InMemoryEventHistory;
import io.sseservice.SseEvent;
import io.sseservice.SseService;
import io.sseservice.Target;
import io.sseservice.jackson.JacksonMessageCodec;
import io.sseservice.jdk.JdkSse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's snippets for the JDK server, history and sending, compiled by the build
 * ({@code ReadmeSnippetsTest} checks that README.md shows these lines).
 */
final class ConnectSnippet {

  private static final Logger log = LoggerFactory.getLogger(ConnectSnippet.class);

  /** The README's "Connect" snippet. */
  static HttpServer connect() throws IOException {
    SseService service = SseService.builder()
        .messageCodec(JacksonMessageCodec.create())   // only needed to send non-String messages
        .build();

    HttpServer server = HttpServer.create(new InetSocketAddress(3000), 0);
    server.createContext("/sse", JdkSse.handler(service, exchange ->
        ConnectOptions.builder()
            .clientId(userIdFrom(exchange))            // e.g. from a verified JWT; generated when absent
            .group("default")                          // the seed's groupName; default group when absent
            .metadata(Map.of("name", "Ann"))           // the seed's meta: the client's, merged at each connect
            .connectionMetadata(Map.of("device", "phone")) // this connection's own
            .onDisconnect(() -> log.info("gone"))      // the seed's onDisconnectCb, runs exactly once
            .build()));                                // return null instead to refuse (403)
    server.start();
    return server;
  }

  /** The README's "Nothing lost on reconnect" snippet. */
  static SseService withHistory() {
    SseService service = SseService.builder()
        .history(InMemoryEventHistory.create())   // 1,000 events / 4 MiB / 5 minutes per group
        .retry(Duration.ofSeconds(2))             // optional: the clients' reconnect delay
        .build();
    return service;
  }

  /** The README's "How fast a gone client is noticed" snippet. */
  static SseService withShortKeepAlive() {
    SseService service = SseService.builder()
        .keepAliveInterval(Duration.ofSeconds(5)) // a gone client is noticed within ~10-15 s
        .build();
    return service;
  }

  record Update(String userId, Map<String, Object> payload) {}

  private final SseService service = SseService.create();

  /** The README's "Send from anywhere" snippet. */
  void processUpdate(Update update) {
    service.sendToClient(update.userId(), update.payload()); // every connection of that user
    // OR send to everyone in the default group:
    service.sendToAll(update.payload());
  }

  /** The README's conflation snippet: a ticker whose slow readers get the latest quotes. */
  void publishQuote(String symbol, String quoteJson) {
    service.send(Target.defaultGroup(), SseEvent.builder()
        .event("quote")
        .data(quoteJson)
        .conflationKey(symbol)   // never written: replaces this symbol's quote still queued
        .build());
  }

  /** The README's back-pressure snippet: a consumer that sends at the readers' pace. */
  void consume(BlockingQueue<Update> updates) throws InterruptedException {
    while (!Thread.currentThread().isInterrupted()) {
      Update update = updates.take();
      // returns at once unless a reader's queue is full; false: still full after 10 s
      if (!service.awaitCapacity(Duration.ofSeconds(10))) {
        log.warn("readers are behind by 10 s; sending anyway (slow ones will be cut)");
      }
      service.sendToAll(update.payload());
    }
  }

  private static String userIdFrom(HttpExchange exchange) {
    return exchange.getPrincipal() == null ? null : exchange.getPrincipal().getUsername();
  }

  private ConnectSnippet() {}

}
