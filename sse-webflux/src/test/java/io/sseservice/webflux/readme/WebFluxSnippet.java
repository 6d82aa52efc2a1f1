package io.sseservice.webflux.readme;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.webflux.WebFluxSse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The README's WebFlux snippet, compiled by the build (ReadmeSnippetsTest checks the README). */
@RestController
class WebFluxSnippet {

  private final SseService service;

  WebFluxSnippet(SseService service) {
    this.service = service;
  }

  @GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Mono<Void> sse(ServerWebExchange exchange) {
    return exchange.getPrincipal()              // empty without Spring Security: answer 401
        .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.UNAUTHORIZED)))
        .flatMap(principal -> WebFluxSse.connect(service, exchange,
            ConnectOptions.builder().clientId(principal.getName()).build()));
  }

  // or in a router:
  RouterFunction<ServerResponse> routes() {
    return route(GET("/sse"), WebFluxSse.handler(service, request ->
        request.principal().map(p -> ConnectOptions.builder().clientId(p.getName()).build())));
  }
}
