package io.sseservice.webflux.boot;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.webflux.WebFluxSse;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * A WebFlux app as a user would write it: the starter's auto-configured {@link SseService}, an
 * annotated controller (the seed's Nest controller) and a {@code WebFilter} that sets a header.
 */
@SpringBootApplication
public class NotificationApp {

  /** What a security or tracing filter does: its header must survive the stream's own. */
  @Bean
  WebFilter frameworkHeader() {
    return (exchange, chain) -> {
      exchange.getResponse().getHeaders().set("X-Framework", "kept");
      return chain.filter(exchange);
    };
  }

  @RestController
  static class NotificationController {
    private final SseService service;

    NotificationController(SseService service) {
      this.service = service;
    }

    @GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<Void> sse(ServerWebExchange exchange, @RequestParam("user") String user) {
      return WebFluxSse.connect(
          service,
          exchange,
          ConnectOptions.builder().clientId(user).build(),
          connection -> connection.send("welcome " + user));
    }

    @PostMapping("/notify/{user}") // the seed's processUpdate
    Map<String, Integer> notify(
        @PathVariable("user") String user, @RequestBody Map<String, Object> payload) {
      return Map.of("reached", service.sendToClient(user, payload));
    }
  }
}
