package io.sseservice.jdk;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.sseservice.CloseReason;
import io.sseservice.ConnectOptions;
import io.sseservice.SseConnection;
import io.sseservice.SseEvent;
import io.sseservice.SseListener;
import io.sseservice.SseService;
import io.sseservice.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Conflation over a real socket: two readers stop reading while a ticker of 20 keys sends 10 MB
 * to each. The reader of keyed events stays connected and, once it reads again, ends with the
 * latest value of every key; the reader of the same events without keys is cut as a slow
 * consumer.
 */
class JdkConflationIT {

  private static final int KEYS = 20;
  private static final int ROUNDS = 500;

  private final Map<String, CloseReason> ends = new ConcurrentHashMap<>();
  private SseService service;
  private HttpServer server;
  private Socket keyedReader;
  private Socket plainReader;

  @AfterEach
  void stop() throws IOException {
    keyedReader.close();
    plainReader.close();
    service.close();
    server.stop(0);
  }

  @Test
  void aReaderThatStoppedCatchesUpWithTheLatestValuePerKeyInsteadOfBeingCut() throws Exception {
    service =
        SseService.builder()
            .keepAliveInterval(Duration.ZERO)
            .maxQueuedBytes(64 * 1024) // 20 keys of 1 KiB fit; 10 MB of unkeyed events do not
            .hardMaxQueuedBytes(128 * 1024)
            .slowConsumerGrace(Duration.ZERO)
            .listener(
                new SseListener() {
                  @Override
                  public void onDisconnect(SseConnection connection, CloseReason reason) {
                    ends.put(connection.group(), reason);
                  }
                })
            .build();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/sse",
        JdkSse.handler(
            service,
            exchange ->
                ConnectOptions.builder()
                    .group(exchange.getRequestURI().getQuery().substring("group=".length()))
                    .build()));
    server.start();
    int port = server.getAddress().getPort();
    keyedReader = request(port, "keyed");
    plainReader = request(port, "plain");
    await().until(() -> service.stats().connections() == 2);

    String padding = "x".repeat(1000);
    for (int round = 0; round < ROUNDS; round++) {
      for (int k = 0; k < KEYS; k++) {
        String data = "K" + k + ":" + round + ":" + padding;
        service.send(
            Target.group("keyed"), SseEvent.builder().data(data).conflationKey("K" + k).build());
        service.send(Target.group("plain"), SseEvent.of(data));
      }
    }
    service.send(Target.group("keyed"), SseEvent.of("end"));

    await().until(() -> ends.containsKey("plain"));
    assertThat(ends.get("plain")).isEqualTo(CloseReason.SLOW_CONSUMER);

    Map<String, Integer> latest = new HashMap<>();
    int events = 0;
    keyedReader.setSoTimeout(10_000);
    InputStream in = keyedReader.getInputStream();
    readHead(in);
    StringBuilder text = new StringBuilder();
    int lineStart = 0;
    boolean ended = false;
    while (!ended) {
      text.append(new String(readChunk(in), UTF_8));
      for (int nl = text.indexOf("\n", lineStart); nl >= 0; nl = text.indexOf("\n", lineStart)) {
        String line = text.substring(lineStart, nl);
        lineStart = nl + 1;
        if (line.equals("data: end")) {
          ended = true;
        } else if (line.startsWith("data: K")) {
          String[] parts = line.substring(6).split(":");
          int round = Integer.parseInt(parts[1]);
          Integer before = latest.put(parts[0], round);
          assertThat(before == null || before < round).as("%s after %s", line, before).isTrue();
          events++;
        }
      }
    }

    assertThat(latest)
        .hasSize(KEYS)
        .allSatisfy((key, round) -> assertThat(round).isEqualTo(ROUNDS - 1));
    assertThat(events).as("stale values were replaced, not sent").isLessThan(KEYS * ROUNDS);
    assertThat(service.stats().eventsConflated()).isEqualTo(KEYS * ROUNDS - events);
    assertThat(ends).doesNotContainKey("keyed");
  }

  private static Socket request(int port, String group) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(1024); // before connect, so the window stays small
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    socket
        .getOutputStream()
        .write(
            ("GET /sse?group="
                    + group
                    + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(US_ASCII));
    return socket;
  }

  private static void readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("end of stream in the head").isNotNegative();
      head.write(b);
    }
    assertThat(head.toString(US_ASCII)).containsIgnoringCase("transfer-encoding: chunked");
  }

  /** Reads one chunk of a chunked body. */
  private static byte[] readChunk(InputStream in) throws IOException {
    String size = readLine(in);
    byte[] chunk = in.readNBytes(Integer.parseInt(size.trim(), 16));
    assertThat(readLine(in)).isEmpty();
    return chunk;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      assertThat(b).as("end of stream in a chunk").isNotNegative();
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(US_ASCII);
  }
}
