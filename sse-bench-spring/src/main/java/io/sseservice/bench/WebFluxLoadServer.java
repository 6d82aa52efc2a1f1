package io.sseservice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import io.netty.channel.ChannelOption;
import io.sseservice.SseService;
import io.sseservice.webflux.WebFluxSse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunctions;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The load tool's {@code webflux} server: {@code WebFluxSse.handler} in a router function on
 * Reactor Netty with its default event loops, as sse-webflux's own router tests run it, Spring
 * Framework 6.2 and Reactor Netty 1.2 on Netty 4.1 as Spring Boot 3.5 gives them (hence this
 * module's class path). Obeys the same stdin commands as {@link LoadServer}
 * ({@code WebFluxLoadServer webflux <maxQueuedBytes>}).
 */
public final class WebFluxLoadServer {

  private WebFluxLoadServer() {}

  /** Starts the server on an ephemeral port, prints {@code PORT <n>}, then serves commands. */
  public static void main(String[] args) throws Exception {
    SseService service = BenchService.builder(Long.parseLong(args[1])).build();
    ReactorHttpHandlerAdapter adapter =
        new ReactorHttpHandlerAdapter(
            RouterFunctions.toHttpHandler(
                RouterFunctions.route(
                    GET("/sse"),
                    WebFluxSse.handler(
                        service,
                        request -> Mono.just(BenchService.options(request.uri().getRawQuery()))))));
    DisposableServer server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .option(ChannelOption.SO_BACKLOG, 8192) // as every server of the tool
            .handle(adapter)
            .bindNow();
    System.out.println("PORT " + server.port());
    System.out.flush();
    new Commands(new LoadServer.ServiceSender(service))
        .run(new BufferedReader(new InputStreamReader(System.in, UTF_8)));
    server.disposeNow();
    service.close();
    System.exit(0);
  }
}
