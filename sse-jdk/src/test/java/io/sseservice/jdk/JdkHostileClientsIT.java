package io.sseservice.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.sseservice.SseService;
import io.sseservice.test.SseTestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Clients that do not behave, against the JDK server as the README sets it up. */
class JdkHostileClientsIT {

  private final List<AutoCloseable> open = new ArrayList<>();
  private SseService service;
  private HttpServer server;

  private int start(SseService sseService) throws IOException {
    service = sseService;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/sse", JdkSse.handler(service));
    server.start();
    return server.getAddress().getPort();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    service.close();
    server.stop(0);
  }

  private Socket request(int port, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer); // before connect, so the window stays small
    }
    open.add(socket);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    socket
        .getOutputStream()
        .write(
            "GET /sse HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** JDK 21+ held the head in a buffer until the first event: a quiet stream showed no headers. */
  @Test
  void theHeadGoesOutBeforeAnyEvent() throws Exception {
    int port = start(SseService.builder().keepAliveInterval(Duration.ZERO).build());
    Socket socket = request(port, 0);
    socket.setSoTimeout(5_000);
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        int b = in.read();
        assertThat(b).as("end of stream before the head's end").isNotNegative();
        head.write(b);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no complete head within 5 s, got: " + head, e);
    }
    assertThat(head.toString(StandardCharsets.US_ASCII))
        .startsWith("HTTP/1.1 200")
        .containsIgnoringCase("content-type: text/event-stream");
  }

  /**
   * More readers that stop reading than the pool's first writers: once a stuck socket's buffers
   * are full (about 1.7 MB on loopback), each blocks one writer in the socket until its queue
   * bound cuts it. The healthy readers' writes must not wait behind them (they did: 0 of the
   * healthy readers got past the first 1,600 events, and all were cut with the stuck ones).
   */
  @Test
  void readersThatStopReadingDoNotHoldBackHealthyOnes() throws Exception {
    int port = start(SseService.builder().keepAliveInterval(Duration.ZERO).build());
    int stuck = JdkSse.DEFAULT_WRITER_THREADS + 4;
    for (int i = 0; i < stuck; i++) {
      request(port, 1024); // never read
    }
    await().until(() -> service.stats().connections() == stuck);
    List<SseTestClient> healthy = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      SseTestClient client = SseTestClient.connect(URI.create("http://127.0.0.1:" + port + "/sse"));
      open.add(client);
      healthy.add(client);
    }
    await().until(() -> service.stats().connections() == stuck + healthy.size());

    String payload = "x".repeat(1024);
    for (int step = 0; step < 60; step++) { // 3,000 events of 1 KiB, paced by the healthy readers
      for (int i = 0; i < 50; i++) {
        service.sendToAll(step * 50 + i + ":" + payload);
      }
      for (SseTestClient client : healthy) {
        for (int i = 0; i < 50; i++) {
          assertThat(client.takeEvent(Duration.ofSeconds(5)).data())
              .startsWith(step * 50 + i + ":");
        }
      }
    }
    await().until(() -> service.stats().connections() == healthy.size()); // stuck ones cut
  }
}
