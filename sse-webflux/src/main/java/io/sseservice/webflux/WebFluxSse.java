package io.sseservice.webflux;

import static java.util.Objects.requireNonNull;

import io.sseservice.ConnectOptions;
import io.sseservice.ConnectRefusedException;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import io.sseservice.internal.Admission;
import io.sseservice.internal.LastEventIds;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Opens event streams on Spring WebFlux exchanges, from annotated controllers or router
 * functions, on Reactor Netty or any other WebFlux server. Thread-safety: stateless and
 * thread-safe.
 *
 * <pre>{@code
 * @GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
 * Mono<Void> sse(ServerWebExchange exchange, Principal principal) {
 *   return WebFluxSse.connect(service, exchange,
 *       ConnectOptions.builder().clientId(principal.getName()).build());
 * }
 * }</pre>
 *
 * <p>The returned {@code Mono<Void>} is the response: it completes when the stream ends. A
 * controller method that takes the {@code ServerWebExchange} and returns it has handled the
 * response itself (no message writer runs). Headers that {@code WebFilter}s already set on the
 * response (CORS, security, tracing) pass through; the SSE headers replace the same names only.
 * Over HTTP/2 no {@code Connection} header is sent. A client that goes away cancels the response,
 * which ends the connection as gone (disconnect callbacks run once).
 *
 * <p>Back-pressure: each batch of events is one {@code DataBuffer} over the shared frames (not
 * copied on Reactor Netty), written with {@code writeAndFlushWith}. The core hands over the next
 * batch only when the server asks for more. Spring's Servlet bridge asks once the previous batch
 * was written and flushed; Reactor Netty asks ahead within a fixed window (in Reactor Netty 1.2
 * and 1.3: 32 batches queued, and 128 buffers written but not yet taken by the socket) and stops
 * asking while the peer does not read. From then on events wait in the core's bounded
 * per-connection queue, the one place where slow consumers are judged ({@code maxQueuedBytes},
 * {@code writeTimeout}).
 *
 * <p>Ending: when the server ends a stream ({@code SseConnection.close()},
 * {@code SseService.close()}, a slow consumer), Reactor Netty writes what it holds and the end,
 * then the connection is closed, as with the Netty adapter; a connection whose peer stopped
 * reading is cut at once. Other servers end the response, and their own timeouts free a
 * connection whose peer stopped reading.
 *
 * <p>From a router function, use {@link #handler}; or call {@link #connect} with
 * {@code request.exchange()} inside {@code ServerResponse.ok().build((exchange, context) -> ...)}.
 */
public final class WebFluxSse {

  private WebFluxSse() {}

  /**
   * Returns the response that opens an event stream on {@code exchange} and registers it with
   * {@code service} when subscribed (the seed's {@code connectSSE}). The last event id is read
   * from the {@code Last-Event-ID} header, else the {@code lastEventId} query parameter, unless
   * {@code options} carries one.
   *
   * @param service the service to register the connection with
   * @param exchange the exchange whose response becomes the stream
   * @param options the client id, group, metadata, disconnect callbacks and extra headers
   * @return the response, to be returned by the handler; it completes when the stream ends, and
   *     answers 503 (plain text) when the service is closed or closing, whatever exception
   *     handlers the application has
   */
  public static Mono<Void> connect(
      SseService service, ServerWebExchange exchange, ConnectOptions options) {
    return connect(service, exchange, options, connection -> {});
  }

  /**
   * Like {@link #connect(SseService, ServerWebExchange, ConnectOptions)}, and hands the new
   * connection (the seed's {@code currConnection}) to {@code onConnected} as soon as it is
   * registered, e.g. to send it a first event.
   *
   * @param service the service to register the connection with
   * @param exchange the exchange whose response becomes the stream
   * @param options the client id, group, metadata, disconnect callbacks and extra headers
   * @param onConnected runs once with the registered connection, on the subscribing thread
   * @return the response, to be returned by the handler (see the three-argument form)
   */
  public static Mono<Void> connect(
      SseService service,
      ServerWebExchange exchange,
      ConnectOptions options,
      Consumer<? super SseConnection> onConnected) {
    requireNonNull(service, "service");
    requireNonNull(exchange, "exchange");
    requireNonNull(options, "options");
    requireNonNull(onConnected, "onConnected");
    return Mono.defer(
        () -> {
          ServerHttpRequest request = exchange.getRequest();
          ConnectOptions withLastEventId =
              LastEventIds.apply(
                  options,
                  request.getHeaders().getFirst(ConnectOptions.LAST_EVENT_ID_HEADER),
                  request.getURI().getRawQuery());
          WebFluxTransport transport =
              new WebFluxTransport(
                  exchange.getResponse(), NativeServer.allowsConnectionHeader(request));
          SseConnection connection;
          try {
            connection = service.connect(transport, withLastEventId);
          } catch (ConnectRefusedException refused) { // closed, or lost the race with close()
            return refuse(exchange, Admission.refusal(refused));
          }
          onConnected.accept(connection);
          return exchange
              .getResponse()
              .writeAndFlushWith(transport.body())
              // cancelled, failed, or completed without close(): in each case the peer is gone
              .doFinally(signal -> transport.peerGone());
        });
  }

  /** Answers a refused connect with its status and reason, as every adapter does. */
  private static Mono<Void> refuse(ServerWebExchange exchange, Admission.Decision refusal) {
    ServerHttpResponse response = exchange.getResponse();
    response.setStatusCode(HttpStatusCode.valueOf(refusal.status()));
    response.getHeaders().setContentType(MediaType.parseMediaType("text/plain;charset=utf-8"));
    byte[] body = refusal.message().getBytes(StandardCharsets.UTF_8);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }

  /**
   * Returns a handler function for router functions.
   *
   * <pre>{@code
   * RouterFunctions.route(GET("/sse"), WebFluxSse.handler(service, request ->
   *     request.principal().map(p -> ConnectOptions.builder().clientId(p.getName()).build())));
   * }</pre>
   *
   * @param service the service to register connections with
   * @param options maps each request to its connect options, asynchronously (e.g. from
   *     {@code request.principal()}); an empty result refuses the request with 403, an
   *     {@link IllegalArgumentException} (thrown, or the result's error) with 400 and its message
   * @return the handler function
   */
  public static HandlerFunction<ServerResponse> handler(
      SseService service, Function<ServerRequest, Mono<ConnectOptions>> options) {
    requireNonNull(service, "service");
    requireNonNull(options, "options");
    return request ->
        Mono.defer(() -> options.apply(request))
            .flatMap(
                connect ->
                    ServerResponse.ok()
                        .build((exchange, context) -> connect(service, exchange, connect)))
            .switchIfEmpty(Mono.defer(() -> ServerResponse.status(HttpStatus.FORBIDDEN).build()))
            // the options refused the request (an empty client id...): the client's error, as on
            // every other adapter (Admission), never a 500
            .onErrorResume(
                IllegalArgumentException.class,
                refused ->
                    ServerResponse.badRequest()
                        .contentType(MediaType.parseMediaType("text/plain;charset=utf-8"))
                        .bodyValue(String.valueOf(refused.getMessage())));
  }
}
