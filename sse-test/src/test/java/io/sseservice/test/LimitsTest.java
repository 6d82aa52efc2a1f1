package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseservice.ConnectOptions;
import io.sseservice.ConnectRefusedException;
import io.sseservice.InMemoryEventHistory;
import io.sseservice.SseConnection;
import io.sseservice.SseEvent;
import io.sseservice.SseService;
import io.sseservice.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limits: a connect over the service's, a group's or a client's connection limit, or one that
 * would add a group over the most groups, is refused with a {@link ConnectRefusedException} that
 * names the limit (the transport untouched, nothing registered), also when many threads connect
 * at once; a send of an event larger than the most bytes throws before anything is queued,
 * recorded or published.
 */
class LimitsTest {

  private final List<SseService> services = new ArrayList<>();

  private SseService service(Consumer<SseService.Builder> limits) {
    SseService.Builder builder = SseService.builder().keepAliveInterval(Duration.ZERO);
    limits.accept(builder);
    SseService service = builder.build();
    services.add(service);
    return service;
  }

  @AfterEach
  void closeAll() {
    services.forEach(SseService::close);
  }

  private static SseConnection connect(SseService service, String clientId, String group) {
    return service.connect(
        new InMemoryTransport(), ConnectOptions.builder().clientId(clientId).group(group).build());
  }

  /** Asserts that a connect is refused with {@code status} and a message starting {@code limit}. */
  private static void assertRefused(
      SseService service, String clientId, String group, int status, String limit) {
    InMemoryTransport untouched = new InMemoryTransport();
    int before = service.stats().connections();
    assertThatThrownBy(
            () ->
                service.connect(
                    untouched, ConnectOptions.builder().clientId(clientId).group(group).build()))
        .isInstanceOfSatisfying(
            ConnectRefusedException.class, e -> assertThat(e.status()).isEqualTo(status))
        .hasMessageStartingWith(limit + " reached");
    assertThat(untouched.isOpened()).as("the adapter answers the request itself").isFalse();
    assertThat(service.stats().connections()).isEqualTo(before);
  }

  @Test
  void everyLimitRefusesZeroAndBelowNamingItself() {
    SseService.Builder builder = SseService.builder();
    List<ThrowingCallable> setters =
        List.of(
            () -> builder.maxConnections(0),
            () -> builder.maxConnectionsPerClient(-1),
            () -> builder.maxConnectionsPerGroup(0),
            () -> builder.maxGroups(0),
            () -> builder.maxEventBytes(0));
    List<String> messages =
        List.of(
            "maxConnections: 0 (expected: > 0)",
            "maxConnectionsPerClient: -1 (expected: > 0)",
            "maxConnectionsPerGroup: 0 (expected: > 0)",
            "maxGroups: 0 (expected: > 0)",
            "maxEventBytes: 0 (expected: > 0)");
    for (int i = 0; i < setters.size(); i++) {
      assertThatThrownBy(setters.get(i))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(messages.get(i));
    }
    assertThatThrownBy(
            () ->
                SseService.builder()
                    .hardMaxQueuedBytes(4096)
                    .maxQueuedBytes(1024)
                    .maxEventBytes(4097)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEventBytes: 4097 (expected: <= hardMaxQueuedBytes, 4096)");
  }

  @Test
  void aClientOverItsConnectionLimitGets429AndOthersStillConnect() {
    SseService service = service(b -> b.maxConnectionsPerClient(2));
    SseConnection first = connect(service, "alice", "room");
    connect(service, "alice", "room");

    assertRefused(service, "alice", "room", 429, "maxConnectionsPerClient (2)");
    assertThatThrownBy(() -> connect(service, "alice", "room"))
        .hasMessage(
            "maxConnectionsPerClient (2) reached: client \"alice\" of group \"room\" has"
                + " as many connections as it may");
    connect(service, "bob", "room");
    connect(service, "alice", "another room"); // a client is one id in one group

    first.close();
    connect(service, "alice", "room");
    assertThat(service.client("alice", "room").orElseThrow().connections()).hasSize(2);
  }

  @Test
  void theDefaultPerClientLimitIs64() {
    SseService service = service(b -> {});
    for (int i = 0; i < 64; i++) {
      connect(service, "tabs", "default");
    }
    assertRefused(service, "tabs", "default", 429, "maxConnectionsPerClient (64)");
  }

  @Test
  void aFullGroupGets503AndOtherGroupsStillConnect() {
    SseService service = service(b -> b.maxConnectionsPerGroup(2));
    connect(service, "a", "room");
    SseConnection leaving = connect(service, "b", "room");

    assertRefused(service, "c", "room", 503, "maxConnectionsPerGroup (2)");
    assertRefused(service, "a", "room", 503, "maxConnectionsPerGroup (2)");
    connect(service, "c", "lobby");

    leaving.close();
    connect(service, "c", "room");
  }

  @Test
  void aFullServiceGets503UntilAConnectionEnds() {
    SseService service = service(b -> b.maxConnections(3));
    SseConnection leaving = connect(service, "a", "g1");
    connect(service, "b", "g2");
    connect(service, "a", "g3");

    assertRefused(service, "c", "g4", 503, "maxConnections (3)");
    assertRefused(service, "a", "g1", 503, "maxConnections (3)");

    leaving.close();
    connect(service, "c", "g4");
    assertThat(service.stats().connections()).isEqualTo(3);
  }

  @Test
  void aNewGroupOverTheMostGroupsGets503AndAnEmptiedGroupFreesItsPlace() {
    SseService service = service(b -> b.maxGroups(2));
    SseConnection onlyOne = connect(service, "a", "g1");
    connect(service, "a", "g2");

    assertRefused(service, "a", "g3", 503, "maxGroups (2)");
    connect(service, "b", "g1"); // an existing group takes more connections
    onlyOne.close();
    assertRefused(service, "c", "g3", 503, "maxGroups (2)"); // g1 still has b

    service.client("b", "g1").orElseThrow().connections().get(0).close();
    connect(service, "c", "g3");
    assertThat(service.groups()).containsExactlyInAnyOrder("g2", "g3");
  }

  @Test
  void aConnectRefusedOverALimitLeavesNothingBehind() {
    SseService service = service(b -> b.maxConnectionsPerClient(1).maxConnections(2).maxGroups(2));
    for (int i = 0; i < 100; i++) {
      SseConnection a = connect(service, "a", "g");
      assertRefused(service, "a", "g", 429, "maxConnectionsPerClient (1)");
      SseConnection b = connect(service, "b", "h");
      assertRefused(service, "c", "i", 503, "maxConnections (2)");
      a.close();
      b.close();
    }
    assertThat(service.stats().connections()).isZero();
    assertThat(service.groups()).isEmpty();
    // no slot was lost to a refusal
    connect(service, "c", "i");
    connect(service, "d", "j");
    assertRefused(service, "e", "k", 503, "maxConnections (2)");
  }

  /**
   * Runs {@code threads} threads that each connect {@code perThread} times at once (client and
   * group from {@code names}); returns how many connects were refused, by status.
   */
  private static int[] connectAtOnce(
      SseService service,
      int threads,
      int perThread,
      java.util.function.BiFunction<Integer, Integer, String[]> names)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger refused429 = new AtomicInteger();
    AtomicInteger refused503 = new AtomicInteger();
    List<Future<?>> work = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        work.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    String[] name = names.apply(thread, i);
                    try {
                      connect(service, name[0], name[1]);
                    } catch (ConnectRefusedException e) {
                      (e.status() == 429 ? refused429 : refused503).incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : work) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return new int[] {refused429.get(), refused503.get()};
  }

  @Test
  void concurrentConnectsNeverTakeTheServiceOverItsLimit() throws Exception {
    for (int round = 0; round < 5; round++) {
      SseService service = service(b -> b.maxConnections(100));
      // every connect its own group and client: nothing serialises them but the limit
      int[] refused =
          connectAtOnce(
              service,
              16,
              50,
              (thread, i) -> new String[] {"c" + thread + "-" + i, "g" + thread + "-" + i});

      assertThat(service.stats().connections()).isEqualTo(100);
      assertThat(service.groups()).hasSize(100);
      assertThat(refused).containsExactly(0, 16 * 50 - 100);
    }
  }

  @Test
  void concurrentConnectsOfOneClientNeverTakeItOverItsLimit() throws Exception {
    for (int round = 0; round < 5; round++) {
      SseService service = service(b -> b.maxConnectionsPerClient(10).maxGroups(3));
      // one client in each of three groups, connecting from every thread; a fourth group refused
      int[] refused =
          connectAtOnce(
              service, 16, 20, (thread, i) -> new String[] {"same", "g" + (thread + i) % 4});

      for (String group : List.of("g0", "g1", "g2", "g3")) {
        service.client("same", group).ifPresent(c -> assertThat(c.connections()).hasSize(10));
      }
      assertThat(service.groups()).hasSize(3);
      assertThat(service.stats().connections()).isEqualTo(30);
      assertThat(refused[0] + refused[1]).isEqualTo(16 * 20 - 30);
    }
  }

  // ---- the largest event ----

  /** A {@code data:} event whose frame is exactly {@code bytes} long. */
  private static String dataOfFrame(int bytes) {
    return "x".repeat(bytes - "data: \n\n".length());
  }

  @Test
  void anEventOverTheMostBytesIsRefusedOnEverySendPathAndNothingIsQueuedOrRecorded() {
    InMemoryEventHistory history = InMemoryEventHistory.create();
    SseService service = service(b -> b.maxEventBytes(100).history(history));
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection =
        service.connect(transport, ConnectOptions.builder().clientId("a").build());
    String tooBig = dataOfFrame(101);
    String limit = " bytes encoded (expected: at most maxEventBytes, 100)";

    List<ThrowingCallable> sends =
        List.of(
            () -> service.sendToAll(tooBig),
            () -> service.sendToAll(tooBig, "type", "default"),
            () -> service.sendToClient("a", tooBig),
            () -> service.sendToConnection(connection, tooBig),
            () -> connection.send(tooBig),
            () -> connection.send(SseEvent.of(tooBig)),
            () -> service.send(Target.everyone(), SseEvent.of(tooBig)),
            () -> service.send(Target.connection(connection), SseEvent.of(tooBig)),
            // ": " and a line end, then the blank line: 97 chars of comment make 101 bytes
            () ->
                service.send(
                    Target.defaultGroup(), SseEvent.builder().comment("c".repeat(97)).build()));
    for (ThrowingCallable send : sends) {
      assertThatThrownBy(send)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageMatching("event: 1[01][0-9]" + java.util.regex.Pattern.quote(limit));
    }
    assertThat(transport.text()).isEmpty();
    assertThat(history.size("default")).isZero();
    assertThat(service.stats().eventsSent()).isZero();

    assertThat(service.sendToAll(dataOfFrame(100))).as("exactly at the limit").isEqualTo(1);
    assertThat(transport.data()).containsExactly(dataOfFrame(100));
  }

  @Test
  void theEventSizeCountsTheEncodedFrame() {
    SseService service = service(b -> b.maxEventBytes(64));
    service.connect(new InMemoryTransport(), ConnectOptions.defaults());
    // 20 chars of 3 UTF-8 bytes each: 60 bytes of data, 68 of frame
    assertThatThrownBy(() -> service.sendToAll("€".repeat(20)))
        .hasMessage("event: 68 bytes encoded (expected: at most maxEventBytes, 64)");
    // 20 lines: a "data: " prefix each
    assertThatThrownBy(() -> service.sendToAll("\n".repeat(19)))
        .hasMessage("event: 141 bytes encoded (expected: at most maxEventBytes, 64)");
    assertThat(service.sendToAll("€".repeat(18))).isEqualTo(1); // 62 bytes
  }

  @Test
  void theDefaultMostBytesIs1MiBOrTheHardQueueBoundIfLower() {
    SseService service = service(b -> {});
    service.connect(new InMemoryTransport(false), ConnectOptions.defaults());
    assertThat(service.sendToAll(dataOfFrame(1 << 20))).isEqualTo(1);
    assertThatThrownBy(() -> service.sendToAll(dataOfFrame((1 << 20) + 1)))
        .hasMessage("event: 1048577 bytes encoded (expected: at most maxEventBytes, 1048576)");

    SseService small = service(b -> b.maxQueuedBytes(1024).hardMaxQueuedBytes(4096));
    small.connect(new InMemoryTransport(false), ConnectOptions.defaults());
    assertThatThrownBy(() -> small.sendToAll(dataOfFrame(4097)))
        .hasMessage("event: 4097 bytes encoded (expected: at most maxEventBytes, 4096)");
  }

  @Test
  void inAClusterAnEventOverTheMostBytesIsNeverPublished() {
    try (InMemoryCluster cluster = InMemoryCluster.create();
        SseService sender = cluster.join(SseService.builder().maxEventBytes(100), "n1").build();
        SseService receiver = cluster.join(SseService.builder(), "n2").build()) {
      InMemoryTransport transport = new InMemoryTransport();
      receiver.connect(transport, ConnectOptions.builder().clientId("a").build());

      assertThatThrownBy(() -> sender.sendToAll(dataOfFrame(101)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxEventBytes, 100");
      assertThatThrownBy(() -> sender.sendToClient("a", dataOfFrame(101)))
          .isInstanceOf(IllegalArgumentException.class);
      sender.sendToAll("after");
      cluster.awaitDeliveries();

      assertThat(transport.data()).containsExactly("after");
      assertThat(sender.stats().publishFailures()).isZero();
    }
  }
}
