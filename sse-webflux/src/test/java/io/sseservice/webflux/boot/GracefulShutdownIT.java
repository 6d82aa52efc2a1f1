package io.sseservice.webflux.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.SseService;
import io.sseservice.test.SseTestClient;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing a WebFlux app with open streams: the starter closes the service before Reactor Netty's
 * graceful shutdown waits for requests in flight, so streams end at once instead of holding the
 * shutdown for its whole grace period.
 */
class GracefulShutdownIT {

  @Test
  void streamsEndAndTheAppStopsWithoutWaitingOutTheGracePeriod() {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(NotificationApp.class)
            .properties(
                "server.port=0",
                "server.shutdown=graceful",
                "spring.lifecycle.timeout-per-shutdown-phase=30s",
                "sse.history.enabled=true")
            .run();
    int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    SseService service = context.getBean(SseService.class);
    try (SseTestClient client =
        SseTestClient.connect(URI.create("http://127.0.0.1:" + port + "/sse?user=ann"))) {
      assertThat(client.takeEvent().data()).isEqualTo("welcome ann");

      long start = System.nanoTime();
      context.close();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(service.isClosed()).isTrue();
      client.awaitEnd();
      assertThat(took)
          .as("the 30 s grace period was not waited out")
          .isLessThan(Duration.ofSeconds(15));
    }
  }
}
