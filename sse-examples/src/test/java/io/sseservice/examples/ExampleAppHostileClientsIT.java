package io.sseservice.examples;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sseservice.SseClient;
import io.sseservice.test.ReceivedEvent;
import io.sseservice.test.SseTestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example app on its default server survives issue 13's basic probes, with raw sockets on
 * loopback: clients that send their request one byte a second (slowloris) hold only their own
 * connections, and a request whose headers are too large is refused without a stream.
 */
class ExampleAppHostileClientsIT {

  /** Enough slow sockets to take every thread of a thread-per-request server several times. */
  private static final int SLOW_CLIENTS = 64;

  /** How long a new client may take to connect, be welcomed and receive a sent event. */
  private static final Duration SERVED_WITHIN = Duration.ofSeconds(3);

  private final List<Socket> sockets = new CopyOnWriteArrayList<>(); // the trickle reads it too
  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
  private ExampleApp app;

  @BeforeEach
  void start() {
    app = ExampleApp.start(0, Duration.ZERO);
  }

  @AfterEach
  void stop() throws IOException {
    trickle.shutdownNow();
    for (Socket socket : sockets) {
      socket.close();
    }
    app.close();
  }

  @Test
  void slowRequestsDoNotKeepANewClientFromConnectingAndReceivingEvents() throws Exception {
    for (int i = 0; i < SLOW_CLIENTS; i++) {
      Socket slow = socket();
      slow.getOutputStream().write("GET /sse?clientId=slow HTT".getBytes(US_ASCII)); // half a line
      slow.getOutputStream().flush();
    }
    // then one byte a second on each, for as long as the test lasts (the attack's own pace);
    // the new client comes once the first byte went out, so the server has seen the trickle
    CountDownLatch trickling = new CountDownLatch(1);
    trickle.scheduleAtFixedRate(
        () -> {
          oneByteEach();
          trickling.countDown();
        },
        1,
        1,
        TimeUnit.SECONDS);
    assertThat(trickling.await(10, TimeUnit.SECONDS)).as("the trickle started").isTrue();

    assertTimeoutPreemptively(
        SERVED_WITHIN,
        () -> {
          try (SseTestClient stream =
              SseTestClient.connect(app.uri().resolve("/sse?clientId=ann"))) {
            assertThat(stream.takeEvent().event()).isEqualTo("welcome");
            HttpClient http = HttpClient.newHttpClient();
            String reached =
                http.send(
                        HttpRequest.newBuilder(app.uri().resolve("/api/send-to-client"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(BodyPublishers.ofString("clientId=ann&message=through"))
                            .build(),
                        BodyHandlers.ofString())
                    .body();
            assertThat(reached).isEqualTo("{\"reached\":1}");
            assertThat(stream.takeEvent())
                .extracting(ReceivedEvent::event, ReceivedEvent::data)
                .containsExactly("message", "through");
          }
        });
    assertThat(app.service().clients()).extracting(SseClient::id).doesNotContain("slow");
  }

  @Test
  void aRequestWithA9KilobyteCookieIsRefusedWithoutAStream() throws IOException {
    Socket socket = socket();
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /sse?clientId=big HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                + "Cookie: session="
                + "x".repeat(9 * 1024)
                + "\r\n\r\n")
            .getBytes(US_ASCII));
    out.flush();

    String response = readToEnd(socket.getInputStream());

    assertThat(response).matches("(?s)HTTP/1\\.1 (431|400) .*");
    assertThat(response).doesNotContainIgnoringCase("text/event-stream").doesNotContain("welcome");
    assertThat(app.service().stats().connections()).isZero();
    assertThat(app.service().client("big")).isEmpty();
  }

  private Socket socket() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), app.port());
    socket.setSoTimeout(10_000); // a server that neither answers nor closes fails the test
    sockets.add(socket);
    return socket;
  }

  private void oneByteEach() {
    for (Socket socket : sockets) {
      try {
        socket.getOutputStream().write('P');
        socket.getOutputStream().flush();
      } catch (IOException e) {
        // the server closed this one (a read timeout): fine, it is not holding anything
      }
    }
  }

  /** Reads until the server closes the connection. */
  private static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    in.transferTo(bytes);
    return bytes.toString(US_ASCII);
  }
}
