package io.sseservice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The load tool's reference row: what Java teams usually write by hand instead of this library,
 * a Spring MVC controller keeping one {@link SseEmitter} per client in a map and sending to each
 * in turn. Spring Boot 3.5 on its default Tomcat, with only what 10,000 streams need
 * ({@code server.tomcat.max-connections}, Tomcat's default being 8,192). There is no queue bound:
 * {@code SseEmitter.send} writes on the caller's thread and blocks while the peer's socket is full.
 * Obeys the same stdin commands as {@link LoadServer} ({@code SpringEmitterServer <ignored>}).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(SpringEmitterServer.EmitterRegistry.class)
public class SpringEmitterServer {

  /** Starts the app on an ephemeral port, prints {@code PORT <n>}, then serves commands. */
  public static void main(String[] args) throws IOException {
    ServletWebServerApplicationContext context =
        (ServletWebServerApplicationContext)
            new SpringApplicationBuilder(SpringEmitterServer.class)
                .properties(
                    "server.address=127.0.0.1", "server.port=0",
                    "server.tomcat.max-connections=20000", "server.tomcat.accept-count=8192",
                    "spring.main.banner-mode=off", "logging.level.root=WARN")
                .run(args);
    System.out.println("PORT " + context.getWebServer().getPort());
    System.out.flush();
    new Commands(context.getBean(EmitterRegistry.class))
        .run(new BufferedReader(new InputStreamReader(System.in, UTF_8)));
    context.close();
    System.exit(0);
  }

  /** The hand-written registry: client id → emitter. Thread-safety: thread-safe. */
  @RestController
  public static class EmitterRegistry implements LoadServer.Sender {

    private final Map<String, SseEmitter> emitters = new ConcurrentHashMap<>();

    /** Opens a stream for {@code clientId}. */
    @GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter subscribe(@RequestParam("clientId") String clientId) {
      SseEmitter emitter = new SseEmitter(0L); // no timeout: the stream stays open
      emitter.onCompletion(() -> emitters.remove(clientId, emitter));
      emitter.onError(e -> emitters.remove(clientId, emitter));
      emitters.put(clientId, emitter);
      // Spring commits the response only with the first event; the usual fix is a first comment,
      // or the client would not see the stream open until something is sent
      send(clientId, emitter, SseEmitter.event().comment("connected"));
      return emitter;
    }

    @Override
    public void sendToAll(String data) {
      emitters.forEach(
          (clientId, emitter) -> send(clientId, emitter, SseEmitter.event().data(data)));
    }

    @Override
    public void sendToClient(String clientId, String data) {
      SseEmitter emitter = emitters.get(clientId);
      if (emitter != null) {
        send(clientId, emitter, SseEmitter.event().data(data));
      }
    }

    private void send(String clientId, SseEmitter emitter, SseEmitter.SseEventBuilder event) {
      try {
        emitter.send(event);
      } catch (IOException | IllegalStateException e) {
        emitters.remove(clientId, emitter); // the peer is gone
        emitter.completeWithError(e);
      }
    }

    @Override
    public int connections() {
      return emitters.size();
    }

    @Override
    public int backlogged(long bytes) {
      return 0; // SseEmitter keeps no queue to look at: send() itself blocks the publisher
    }

    @Override
    public void awaitCapacity() {
      // nothing to wait for: send() blocks the publisher while a reader is behind
    }
  }
}
