package io.sseservice.examples.springmvc;

import static org.awaitility.Awaitility.await;

import io.sseservice.SseService;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The example on its real embedded Tomcat (one context, shared by the tests that extend this),
 * with ann and bob's clients, and no stream left open by an earlier test.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    // frequent keep-alives notice closed test clients quickly, so each test starts with none
    properties = "sse.keep-alive-interval=200ms")
abstract class RunningExample {

  @LocalServerPort int port;

  @Autowired SseService service;

  ExampleClients clients;

  @BeforeEach
  void noStreamsLeftFromOtherTests() {
    clients = new ExampleClients(port);
    await().atMost(Duration.ofSeconds(10)).until(() -> service.stats().connections() == 0);
  }
}
