package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseservice.ConnectOptions;
import io.sseservice.InMemoryEventHistory;
import io.sseservice.SseConnection;
import io.sseservice.SseEvent;
import io.sseservice.SseService;
import io.sseservice.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ids, replay after Last-Event-ID, resets, bounds, retry and the shutdown reconnect hint. */
class HistoryTest {

  private static final Pattern ID = Pattern.compile("id: ([^\n]*)\n");

  private final ManualClock clock = new ManualClock();
  private final List<SseService> services = new ArrayList<>();

  private SseService service(InMemoryEventHistory history) {
    return service(SseService.builder().history(history));
  }

  private SseService service(SseService.Builder builder) {
    SseService s = builder.keepAliveInterval(Duration.ZERO).ticker(clock).clock(clock).build();
    services.add(s);
    return s;
  }

  @AfterEach
  void closeAll() {
    services.forEach(SseService::close);
  }

  private static InMemoryTransport join(SseService service, String clientId, String lastEventId) {
    InMemoryTransport transport = new InMemoryTransport();
    service.connect(
        transport, ConnectOptions.builder().clientId(clientId).lastEventId(lastEventId).build());
    return transport;
  }

  private static List<String> ids(String text) {
    List<String> ids = new ArrayList<>();
    Matcher m = ID.matcher(text);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  private static long seq(String id) {
    return Long.parseLong(id.substring(id.indexOf('-') + 1));
  }

  @Test
  void idsGrowPerGroupAndGivenIdsAreKept() {
    SseService service = service(InMemoryEventHistory.create());
    InMemoryTransport t = join(service, "a", null);

    service.sendToAll("one");
    service.sendToClient("a", "two");
    service.sendToAll("three", null, null, "0");
    service.sendToAll("four");

    List<String> ids = ids(t.text());
    assertThat(ids).hasSize(4);
    assertThat(ids.get(2)).isEqualTo("0");
    assertThat(seq(ids.get(0))).isLessThan(seq(ids.get(1)));
    assertThat(seq(ids.get(1))).isLessThan(seq(ids.get(3)));
    assertThat(ids.get(0)).startsWith(ids.get(3).substring(0, ids.get(3).indexOf('-') + 1));
  }

  @Test
  void replayGivesExactlyWhatThisClientMissedInOrderBeforeNewEvents() {
    SseService service = service(InMemoryEventHistory.create());
    InMemoryTransport first = join(service, "a", null);
    service.sendToAll("seen");
    String lastSeen = ids(first.text()).get(0);

    service.sendToAll("g1");
    service.sendToClient("a", "a1");
    service.sendToClient("b", "b1"); // another client of the group: not for a
    service.sendToAll("elsewhere", null, "other"); // another group
    service.sendToAll("g2", null, null, "0"); // a given id, kept for replay too
    InMemoryTransport resumed = join(service, "a", lastSeen);
    service.sendToAll("live");

    assertThat(resumed.text())
        .matches(
            "(?s)id: [^\n]+\ndata: g1\n\nid: [^\n]+\ndata: a1\n\n"
                + "id: 0\ndata: g2\n\nid: [^\n]+\ndata: live\n\n");

    InMemoryTransport fromZero = join(service, "c", "0");
    assertThat(fromZero.text()).matches("(?s)id: [^\n]+\ndata: live\n\n");
  }

  @Test
  void upToDateClientGetsNothing() {
    SseService service = service(InMemoryEventHistory.create());
    InMemoryTransport t = join(service, "a", null);
    service.sendToAll("x");
    InMemoryTransport resumed = join(service, "a", ids(t.text()).get(0));
    assertThat(resumed.text()).isEmpty();
  }

  @Test
  void unknownOrEvictedIdGetsAResetCarryingTheNewestId() {
    SseService service = service(InMemoryEventHistory.builder().maxEvents(3).build());
    InMemoryTransport t = join(service, "a", null);
    for (int i = 0; i < 5; i++) {
      service.sendToAll("e" + i);
    }
    List<String> ids = ids(t.text());
    String newest = ids.get(4);

    assertThat(join(service, "b", ids.get(0)).text())
        .as("evicted")
        .isEqualTo("id: " + newest + "\nevent: sse-reset\ndata: " + newest + "\n\n");
    assertThat(join(service, "b", "garbage\n\0").text())
        .as("unknown")
        .isEqualTo("id: " + newest + "\nevent: sse-reset\ndata: " + newest + "\n\n");
    assertThat(join(service, "b", ids.get(2)).text())
        .as("still held")
        .contains("data: e3", "data: e4");
    assertThat(join(service, "b", "x", "empty-group").text())
        .isEqualTo("id: \nevent: sse-reset\ndata: \n\n");
  }

  private static InMemoryTransport join(
      SseService service, String clientId, String lastEventId, String group) {
    InMemoryTransport transport = new InMemoryTransport();
    service.connect(
        transport,
        ConnectOptions.builder().clientId(clientId).group(group).lastEventId(lastEventId).build());
    return transport;
  }

  @Test
  void historyIsBoundedByBytesAndAge() {
    InMemoryEventHistory history =
        InMemoryEventHistory.builder()
            .maxBytes(100)
            .maxAge(Duration.ofMinutes(1))
            .ticker(clock)
            .clock(clock)
            .build();
    SseService service = service(history);
    for (int i = 0; i < 10; i++) {
      service.sendToAll("0123456789"); // "id: 0-N\ndata: 0123456789\n\n": 26 or 27 bytes
    }
    assertThat(history.size("default")).as("the newest three: 26 + 26 + 27 bytes").isEqualTo(3);
    assertThat(history.bytes("default")).isLessThanOrEqualTo(100);

    clock.advance(Duration.ofSeconds(61));
    history.evictExpired();
    assertThat(history.size("default")).isZero();
  }

  @Test
  void eventsToOneConnectionAreNotKept() {
    InMemoryEventHistory history = InMemoryEventHistory.create();
    SseService service = service(history);
    InMemoryTransport t = new InMemoryTransport();
    SseConnection c = service.connect(t, ConnectOptions.defaults());
    service.send(Target.connection(c), SseEvent.of("private"));
    assertThat(t.text()).isEqualTo("data: private\n\n");
    assertThat(history.size("default")).isZero();
  }

  @Test
  void replayRacingWithSendsLosesAndRepeatsNothing() throws Exception {
    // a replay limit as large as the history: the joiners must get the replay, never a reset
    SseService service =
        service(
            SseService.builder()
                .replayLimit(100_000)
                .history(InMemoryEventHistory.builder().maxEvents(100_000).build()));
    InMemoryTransport seed = join(service, "seed", null);
    service.sendToAll("start");
    String start = ids(seed.text()).get(0);
    AtomicBoolean sending = new AtomicBoolean(true);
    CountDownLatch started = new CountDownLatch(1);
    Thread sender =
        new Thread(
            () -> {
              // bounded well inside the history: on a loaded machine the sender may outrun the
              // joiners,
              // and an evicted "start" would be a reset, not the race this test is about
              for (int i = 0; sending.get() && i < 50_000; i++) {
                service.sendToAll("e" + i);
                started.countDown();
              }
            });
    sender.start();
    started.await();
    List<InMemoryTransport> joiners = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      joiners.add(join(service, "j" + i, start));
    }
    sending.set(false);
    sender.join();

    String all = seed.text();
    List<String> expected = ids(all).subList(1, ids(all).size());
    for (InMemoryTransport joiner : joiners) {
      assertThat(ids(joiner.text())).isEqualTo(expected);
    }
  }

  @Test
  void retryIsSentFirstOnEveryConnection() {
    SseService service = service(SseService.builder().retry(Duration.ofSeconds(3)));
    InMemoryTransport t = join(service, "a", null);
    service.sendToAll("x");
    assertThat(t.text()).isEqualTo("retry: 3000\n\ndata: x\n\n");
  }

  @Test
  void closeTellsEachClientToReconnectWithinTheWindow() {
    SseService service =
        service(
            SseService.builder()
                .shutdownReconnectWindow(Duration.ofMillis(200), Duration.ofMillis(400)));
    List<InMemoryTransport> transports = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      transports.add(join(service, "c" + i, null));
    }
    service.sendToAll("bye");
    service.close();

    List<Long> delays = new ArrayList<>();
    for (InMemoryTransport t : transports) {
      assertThat(t.text()).matches("data: bye\n\nretry: \\d+\n\n");
      assertThat(t.isClosed()).isTrue();
      delays.add(Long.parseLong(t.text().replaceAll("(?s).*retry: (\\d+).*", "$1")));
    }
    assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(200L, 400L));
    assertThat(delays.stream().distinct().count()).as("spread, not one value").isGreaterThan(5);
  }

  @Test
  void badWindowIsRefused() {
    assertThatThrownBy(
            () ->
                SseService.builder()
                    .shutdownReconnectWindow(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("expected: min <= max");
  }
}
