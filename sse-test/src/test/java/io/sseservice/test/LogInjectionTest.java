package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.ClientInfo;
import io.sseservice.ConnectOptions;
import io.sseservice.ConnectionInfo;
import io.sseservice.SseService;
import io.sseservice.spi.ClientDirectory;
import io.sseservice.spi.DirectoryNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A value a peer chose (here client metadata, taken from a query string by a typical options
 * function) cannot forge a log line: the core escapes every message it logs.
 */
class LogInjectionTest {

  private static final String FORGED = "x\nSEVERE: user admin granted root\r\nINFO: ok";

  private final Logger jul = Logger.getLogger("io.sseservice");
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<String> sources = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          sources.add(record.getSourceClassName());
          lines.add(format.formatMessage(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void listen() {
    jul.addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    jul.removeHandler(capture);
  }

  @Test
  void metadataWithCrLfInALoggedFailureStaysOnOneLine() {
    try (SseService service =
        SseService.builder()
            .keepAliveInterval(Duration.ZERO)
            .directory(new FailingDirectory())
            .build()) {
      service.connect(
          new InMemoryTransport(),
          ConnectOptions.builder().clientId("eve").metadata(Map.of("name", FORGED)).build());

      org.awaitility.Awaitility.await().until(() -> !lines.isEmpty());
      String line = lines.get(0);
      assertThat(line).startsWith("the directory failed on");
      assertThat(line).as("no line break, so no forged line").doesNotContain("\n", "\r");
      assertThat(line).contains("x\\nSEVERE: user admin granted root\\r\\nINFO: ok");
      assertThat(sources.get(0))
          .as("the class that logged, not a helper")
          .isEqualTo("io.sseservice.Transitions");
    }
  }

  /** A cluster directory that fails on every connect (a store that is down, say). */
  private static final class FailingDirectory implements ClientDirectory {
    @Override
    public void start(DirectoryNode node) {}

    @Override
    public void connectionOpened(
        ConnectionInfo connection, @Nullable Map<String, Object> clientMetadata) {
      throw new IllegalStateException("the directory is down");
    }

    @Override
    public void connectionClosed(ConnectionInfo connection) {}

    @Override
    public CompletionStage<Optional<ClientInfo>> setClientMetadata(
        String group, String clientId, Map<String, Object> metadata) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Optional<ClientInfo>> mergeClientMetadata(
        String group, String clientId, Map<String, @Nullable Object> changes) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Optional<ClientInfo>> client(String group, String clientId) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<List<ClientInfo>> clients(String group) {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletionStage<Set<String>> groups() {
      return CompletableFuture.completedFuture(Set.of());
    }

    @Override
    public void close() {}
  }
}
