package io.sseservice.redis;

import com.sun.net.httpserver.HttpServer;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.jdk.JdkSse;
import io.sseservice.test.RecordingListener;
import io.sseservice.test.TransportCompatibilityKit;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One node of a test cluster as it runs in production: its own {@link RedisCluster} client, its
 * own {@link SseService}, its own HTTP server (the JDK's, on port 0) serving {@code /sse} with the
 * client id and group from the query string ({@code ?clientId=u1&group=g}).
 *
 * <p>Thread-safety: used from the test thread.
 */
final class HttpNode implements AutoCloseable {

  final String nodeId;
  final RedisCluster redis;
  final SseService service;
  final RecordingListener listener = new RecordingListener();
  private final HttpServer server;

  HttpNode(
      String redisUri,
      String keyPrefix,
      String nodeId,
      UnaryOperator<RedisCluster.Builder> redisOptions)
      throws IOException {
    this.nodeId = nodeId;
    this.redis =
        redisOptions
            .apply(
                RedisCluster.builder()
                    .uri(redisUri)
                    .keyPrefix(keyPrefix)
                    .directoryTtl(RedisFixture.TTL))
            .build();
    this.service =
        redis
            .join(SseService.builder(), nodeId)
            .keepAliveInterval(Duration.ofSeconds(1))
            .listener(listener)
            .presenceListener(listener)
            .shutdownReconnectWindow(Duration.ZERO, Duration.ZERO)
            .build();
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/sse",
        JdkSse.handler(
            service,
            exchange -> {
              Map<String, String> query =
                  TransportCompatibilityKit.parseQuery(exchange.getRequestURI().getRawQuery());
              return ConnectOptions.builder()
                  .clientId(query.get("clientId"))
                  .group(query.get("group"))
                  .build();
            }));
    server.start();
  }

  HttpNode(String redisUri, String keyPrefix, String nodeId) throws IOException {
    this(redisUri, keyPrefix, nodeId, UnaryOperator.identity());
  }

  URI sse(String query) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sse?" + query);
  }

  @Override
  public void close() {
    service.close();
    server.stop(0);
    redis.close();
  }
}
