package io.sseservice.examples.springmvc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.test.SseTestClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stopping the app with streams open: the starter closes them before Tomcat's graceful shutdown
 * waits for in-flight requests, so the app stops at once instead of after the grace period.
 */
class GracefulShutdownIT {

  /** Long enough that a shutdown hanging on the streams cannot pass for a quick one. */
  private static final String GRACE_PERIOD = "20s";

  @Test
  void openStreamsDoNotHoldUpAGracefulShutdown() {
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(SpringMvcExampleApp.class)
            .run(
                "--server.port=0",
                "--server.shutdown=graceful",
                "--spring.lifecycle.timeout-per-shutdown-phase=" + GRACE_PERIOD);
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    ExampleClients clients = new ExampleClients(port);
    try (SseTestClient ann = clients.stream("ann");
        SseTestClient bob = clients.stream("bob")) {

      long start = System.nanoTime();
      app.close();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).isLessThan(Duration.ofSeconds(10));
      ann.awaitEnd();
      bob.awaitEnd();
    }
  }
}
