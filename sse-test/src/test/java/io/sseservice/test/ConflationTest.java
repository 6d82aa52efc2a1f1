package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sseservice.CloseReason;
import io.sseservice.ConnectOptions;
import io.sseservice.InMemoryEventHistory;
import io.sseservice.SlowConsumerPolicy;
import io.sseservice.SseConnection;
import io.sseservice.SseEvent;
import io.sseservice.SseService;
import io.sseservice.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Conflation on one connection: a keyed event replaces the queued, unwritten event of its key and
 * goes last; the write in flight and unkeyed events are never replaced; the byte bound, the
 * slow-consumer rule and the back-pressure set see the queue as it is after the replacement.
 */
class ConflationTest {

  /** 40 bytes once encoded ({@code data: } + 32 + two newlines). */
  private static final String FORTY = "x".repeat(32);

  private final RecordingListener listener = new RecordingListener();
  private final ManualClock clock = new ManualClock();
  private final List<SseService> services = new ArrayList<>();

  @AfterEach
  void closeAll() {
    services.forEach(SseService::close);
  }

  private SseService service(SseService.Builder builder) {
    SseService s =
        builder
            .listener(listener)
            .ticker(clock)
            .clock(clock)
            .keepAliveInterval(Duration.ZERO)
            .shutdownTimeout(Duration.ZERO)
            .build();
    services.add(s);
    return s;
  }

  private static SseEvent keyed(String data, String key) {
    return SseEvent.builder().data(data).conflationKey(key).build();
  }

  private static void send(SseService service, String data, String key) {
    assertThat(service.send(Target.defaultGroup(), keyed(data, key))).isEqualTo(1);
  }

  @Test
  void aKeyedEventReplacesTheQueuedOneOfItsKeyAndGoesLastButNotTheOneInFlight() {
    SseService service = service(SseService.builder().history(InMemoryEventHistory.create()));
    InMemoryTransport transport = new InMemoryTransport();
    service.connect(transport, ConnectOptions.defaults());
    transport.pause();

    send(service, "AAPL 1", "AAPL"); // taken by the transport: in flight
    send(service, "MSFT 1", "MSFT");
    send(service, "AAPL 2", "AAPL");
    service.sendToAll("news"); // no key: replaces nothing, never replaced
    send(service, "AAPL 3", "AAPL"); // replaces AAPL 2
    send(service, "MSFT 2", "MSFT"); // replaces MSFT 1
    service.sendToAll("more news");
    transport.resume();

    assertThat(transport.data()).containsExactly("AAPL 1", "news", "AAPL 3", "MSFT 2", "more news");
    assertThat(seqs(transport)).as("ids only grow").isSorted().doesNotHaveDuplicates();
    assertThat(service.stats().eventsConflated()).isEqualTo(2);
    assertThat(listener.conflatedEvents()).isEqualTo(2);
    assertThat(service.stats().eventsSent()).isEqualTo(7);
    assertThat(transport.text()).doesNotContain("AAPL\n").doesNotContain("conflation");
  }

  @Test
  void theKeyIsNeverWritten() {
    SseService service = service(SseService.builder());
    InMemoryTransport transport = new InMemoryTransport();
    service.connect(transport, ConnectOptions.defaults());

    service.send(
        Target.defaultGroup(),
        SseEvent.builder().data("42").event("quote").id("7").conflationKey("SECRET-KEY").build());

    assertThat(transport.text()).isEqualTo("id: 7\nevent: quote\ndata: 42\n\n");
  }

  @Test
  void replacementsKeepTheQueuedBytesExact() {
    SseService service = service(SseService.builder());
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = service.connect(transport, ConnectOptions.defaults());
    transport.pause();

    send(service, FORTY, "A"); // in flight: not queued
    assertThat(connection.queuedBytes()).isZero();
    send(service, FORTY, "A");
    send(service, FORTY, "B");
    assertThat(connection.queuedBytes()).isEqualTo(80);
    send(service, "short", "A"); // 13 bytes take the place of 40
    assertThat(connection.queuedBytes()).isEqualTo(53);
    send(service, FORTY + FORTY, "B"); // 72 take the place of 40
    assertThat(connection.queuedBytes()).isEqualTo(85);
    transport.resume();

    assertThat(connection.queuedBytes()).isZero();
    assertThat(transport.data()).containsExactly(FORTY, "short", FORTY + FORTY);
  }

  @Test
  void keyedEventsOnAReaderThatStoppedStayWithinTheBoundWhereUnkeyedOnesAreCut() {
    SseService service =
        service(
            SseService.builder()
                .maxQueuedBytes(100)
                .hardMaxQueuedBytes(200)
                .slowConsumerGrace(Duration.ZERO));
    InMemoryTransport keyedReader = new InMemoryTransport();
    SseConnection keyedConnection =
        service.connect(keyedReader, ConnectOptions.builder().group("keyed").build());
    InMemoryTransport plainReader = new InMemoryTransport();
    SseConnection plainConnection =
        service.connect(plainReader, ConnectOptions.builder().group("plain").build());
    keyedReader.pause();
    plainReader.pause();

    for (int i = 0; i < 1_000; i++) {
      service.send(
          Target.group("keyed"), keyed(String.format("%s %08d", "x".repeat(23), i), "K" + i % 2));
      service.send(Target.group("plain"), SseEvent.of(FORTY));
    }

    assertThat(plainConnection.closeReason()).contains(CloseReason.SLOW_CONSUMER);
    assertThat(keyedConnection.isOpen()).isTrue();
    assertThat(keyedConnection.queuedBytes()).isEqualTo(80); // one event per key
    assertThat(service.stats().eventsConflated()).isEqualTo(1_000 - 1 - 2);
    keyedReader.resume();
    assertThat(keyedReader.data())
        .extracting(d -> d.substring(24))
        .containsExactly("00000000", "00000998", "00000999");
    assertThat(listener.slowConsumers()).containsExactly(plainConnection);
  }

  @Test
  void aReplacementThatBringsTheQueueWithinTheBoundEndsTheEpisodeAndTheBacklog() {
    SseService service =
        service(SseService.builder().maxQueuedBytes(100).slowConsumerGrace(Duration.ofSeconds(5)));
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = service.connect(transport, ConnectOptions.defaults());
    transport.pause();
    send(service, FORTY, "in flight");
    send(service, FORTY, "A");
    send(service, FORTY, "B");
    service.sendToAll(FORTY); // 120 bytes queued: over the bound, within the grace
    assertThat(service.hasCapacity()).isFalse();

    send(service, "a", "A"); // 9 bytes take the place of 40: 89 queued
    assertThat(service.hasCapacity()).as("out of the backlog").isTrue();

    clock.advance(Duration.ofSeconds(6)); // longer than the grace since the first episode began
    service.sendToAll(FORTY); // over again: a new episode, with a grace of its own
    assertThat(connection.isOpen()).isTrue();
    assertThat(listener.slowConsumers()).isEmpty();
  }

  @Test
  void unkeyedEventsStillFollowDropOldestBesideKeyedOnes() {
    SseService service =
        service(
            SseService.builder()
                .maxQueuedBytes(100)
                .slowConsumerGrace(Duration.ZERO)
                .slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST));
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = service.connect(transport, ConnectOptions.defaults());
    transport.pause();

    service.sendToAll("plain 0-" + "x".repeat(24)); // in flight
    for (int i = 1; i <= 5; i++) {
      service.sendToAll("plain " + i + "-" + "x".repeat(24));
      send(service, "price " + i + "-" + "x".repeat(24), "P");
    }
    transport.resume();

    assertThat(connection.isOpen()).isTrue();
    assertThat(service.stats().eventsConflated()).isPositive();
    assertThat(service.stats().eventsDropped()).isPositive();
    assertThat(transport.data()).first().asString().startsWith("plain 0");
    assertThat(transport.data()).last().asString().startsWith("price 5");
    long queued = service.stats().eventsSent();
    assertThat(
            transport.data().size()
                + service.stats().eventsConflated()
                + service.stats().eventsDropped())
        .as("every queued event was written, replaced or dropped")
        .isEqualTo(queued);
  }

  @Test
  void theKeyIsCheckedWhenTheEventIsBuilt() {
    assertThatThrownBy(() -> SseEvent.builder().conflationKey(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("conflationKey: 0 chars (expected: 1 to 256)");
    assertThatThrownBy(() -> SseEvent.builder().conflationKey("k".repeat(257)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("conflationKey: 257 chars (expected: 1 to 256)");
    SseEvent event = SseEvent.builder().data("d").conflationKey("k".repeat(256)).build();
    assertThat(event.toBuilder().build().conflationKey()).contains("k".repeat(256));
    assertThat(event).isNotEqualTo(SseEvent.of("d"));
    assertThat(SseEvent.of("d").conflationKey()).isEmpty();
    assertThatThrownBy(() -> SseEvent.builder().conflationKey("k").build())
        .as("a key alone writes nothing")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentKeyedSendersAndAStopStartReaderLoseNoUpdateOrOrder() throws Exception {
    SseService service =
        SseService.builder()
            .keepAliveInterval(Duration.ZERO)
            .shutdownTimeout(Duration.ZERO)
            .history(InMemoryEventHistory.create())
            .build();
    services.add(service);
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = service.connect(transport, ConnectOptions.defaults());
    int senders = 4;
    int perSender = 5_000;
    AtomicBoolean sending = new AtomicBoolean(true);
    Thread reader =
        new Thread(
            () -> {
              while (sending.get()) { // a reader that stops and starts, on its own thread
                transport.pause();
                Thread.yield();
                transport.resume();
              }
            });
    reader.start();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < senders; t++) {
      int sender = t;
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < perSender; i++) {
                  service.send(Target.defaultGroup(), keyed(sender + ":" + i, "K" + (i % 8)));
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    sending.set(false);
    reader.join();
    transport.resume();
    service.sendToAll("end");
    await().atMost(Duration.ofSeconds(10)).until(() -> transport.data().contains("end"));

    List<String> data = transport.data();
    assertThat(data.size() + service.stats().eventsConflated())
        .as("each event was written or replaced, once")
        .isEqualTo(service.stats().eventsSent())
        .isEqualTo(senders * perSender + 1L);
    assertThat(seqs(transport)).as("ids only grow").isSorted().doesNotHaveDuplicates();
    Map<String, Integer> lastOfSenderAndKey = new HashMap<>();
    Map<Integer, String> lastValueOfKey = new HashMap<>();
    for (String d : data.subList(0, data.size() - 1)) {
      String[] parts = d.split(":");
      int i = Integer.parseInt(parts[1]);
      String senderAndKey = parts[0] + "/" + (i % 8);
      Integer before = lastOfSenderAndKey.put(senderAndKey, i);
      assertThat(before == null || before < i).as("%s after %s", d, before).isTrue();
      lastValueOfKey.put(i % 8, d);
    }
    // each key's last value is never replaced: it is the last a sender sent for that key
    lastValueOfKey.forEach(
        (key, d) ->
            assertThat(Integer.parseInt(d.split(":")[1])).isGreaterThanOrEqualTo(perSender - 8));
    assertThat(lastValueOfKey).hasSize(8);
    assertThat(connection.queuedBytes()).isZero();
    assertThat(connection.isOpen()).isTrue();
  }

  /** The positions in the ids the history assigned ({@code <prefix>-<seq>}). */
  private static List<Long> seqs(InMemoryTransport transport) {
    List<Long> seqs = new ArrayList<>();
    for (ReceivedEvent e : transport.events()) {
      String id = e.lastEventId();
      if (id != null) {
        seqs.add(Long.parseLong(id.substring(id.lastIndexOf('-') + 1)));
      }
    }
    return seqs;
  }
}
