package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.ConnectOptions;
import io.sseservice.SseEvent;
import io.sseservice.SseService;
import io.sseservice.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What every {@link io.sseservice.spi.EventHistory} must do for {@code Last-Event-ID} replay,
 * checked through real {@link SseService}s: a reconnecting connection gets exactly what it missed
 * (its group's events and its own client's, nothing else), then live events, with nothing lost or
 * repeated even while others send; an unknown id or too long a gap gets the reset event with the
 * group's newest id. When the history is shared by a cluster ({@link #sharedAcrossNodes()}), the
 * connection may come back to another node. {@code InMemoryEventHistory} and
 * {@code InMemoryCluster}'s history pass it; so must {@code sse-redis}'s.
 *
 * <p>Thread-safety: a JUnit test class; JUnit makes one instance per test.
 */
public abstract class EventHistoryCompatibilityKit extends ClusterKit {

  /** The replay limit the nodes are built with. */
  protected static final int REPLAY_LIMIT = 1_000;

  /**
   * Returns a fresh fixture whose {@code join} gives each node the history under test: the
   * cluster's, or for a history of one process, a new one per node.
   */
  @Override
  protected abstract ClusterFixture cluster();

  @Override
  protected String[] nodeIds() {
    return new String[] {"a", "b"};
  }

  @Override
  protected SseService.Builder configure(SseService.Builder builder) {
    // the oversized event must pass the send's own limit to reach the history
    return builder.replayLimit(REPLAY_LIMIT).maxEventBytes(oversizedEventBytes() + 64L);
  }

  /** Whether every node replays from the same history, so a client may come back anywhere. */
  protected boolean sharedAcrossNodes() {
    return true;
  }

  private String lastIdSeenBy(InMemoryTransport transport, int events) {
    eventually().untilAsserted(() -> assertThat(transport.events()).hasSize(events));
    String id = transport.events().get(events - 1).lastEventId();
    return Objects.requireNonNull(id, "the event's id");
  }

  private InMemoryTransport resume(String node, String clientId, String lastEventId) {
    return nodes.connect(
        node, ConnectOptions.builder().clientId(clientId).lastEventId(lastEventId).build());
  }

  @Test
  void aReconnectGetsExactlyWhatItsClientMissedThenLiveEvents() {
    SseService a = nodes.service("a");
    InMemoryTransport first = nodes.connect("a", "u1", null);
    a.sendToAll("seen");
    String lastSeen = lastIdSeenBy(first, 1);
    nodes.connection(first).close();

    a.sendToAll("g1");
    a.sendToClient("u1", "u1 only");
    a.sendToClient("u2", "another client's");
    a.sendToAll("another group's", null, "elsewhere");
    a.sendToAll("g2");
    InMemoryTransport probe = nodes.connect("a", "probe", null);
    a.sendToAll("marker");
    // everything before the marker is in the history now (a cluster may still deliver some of
    // the earlier events to the probe, which connected while they were on their way)
    eventually().untilAsserted(() -> assertThat(probe.data()).endsWith("marker"));

    InMemoryTransport resumed = resume("a", "u1", lastSeen);
    a.sendToAll("live");

    eventually()
        .untilAsserted(
            () ->
                assertThat(resumed.data())
                    .containsExactly("g1", "u1 only", "g2", "marker", "live"));
    settle();
    assertThat(resumed.data())
        .as("nothing twice, nothing else")
        .containsExactly("g1", "u1 only", "g2", "marker", "live");
  }

  private static SseEvent keyed(String data, String key) {
    return SseEvent.builder().data(data).conflationKey(key).build();
  }

  @Test
  void aReplayDeliversOnlyTheNewestMissedEventOfEachKeyInItsPlace() {
    SseService a = nodes.service("a");
    InMemoryTransport first = nodes.connect("a", "u1", null);
    a.sendToAll("seen");
    String lastSeen = lastIdSeenBy(first, 1);
    nodes.connection(first).close();

    a.send(Target.defaultGroup(), keyed("AAPL 1", "AAPL"));
    a.send(Target.defaultGroup(), keyed("MSFT 1", "MSFT"));
    a.sendToAll("news");
    a.send(Target.defaultGroup(), keyed("AAPL 2", "AAPL"));
    a.send(Target.client("u1"), keyed("AAPL 3", "AAPL"));
    a.send(Target.client("u2"), keyed("MSFT 9", "MSFT")); // another client's: not u1's newest
    InMemoryTransport probe = nodes.connect("a", "probe", null);
    a.sendToAll("marker");
    eventually().untilAsserted(() -> assertThat(probe.data()).endsWith("marker"));

    InMemoryTransport resumed = resume("a", "u1", lastSeen);

    eventually()
        .untilAsserted(
            () -> assertThat(resumed.data()).containsExactly("MSFT 1", "news", "AAPL 3", "marker"));
    List<String> ids = new ArrayList<>();
    resumed.events().forEach(e -> ids.add(e.lastEventId()));
    assertThat(ids).as("ids in the log's order").doesNotHaveDuplicates().hasSize(4);
  }

  @Test
  void theReplayLimitCountsTheEventsLeftAfterConflation() {
    SseService a = nodes.service("a");
    InMemoryTransport first = nodes.connect("a", "u1", null);
    a.sendToAll("seen");
    String lastSeen = lastIdSeenBy(first, 1);
    nodes.connection(first).close();
    for (int i = 0; i < REPLAY_LIMIT + 600; i++) { // past the limit, and more than one read
      a.send(Target.defaultGroup(), keyed("tick " + i, "K" + (i % 10)));
    }
    InMemoryTransport probe = nodes.connect("a", "probe", null);
    a.sendToAll("marker");
    eventually().untilAsserted(() -> assertThat(probe.data()).endsWith("marker"));

    InMemoryTransport resumed = resume("a", "u1", lastSeen);

    List<String> expected = new ArrayList<>();
    for (int i = REPLAY_LIMIT + 590; i < REPLAY_LIMIT + 600; i++) {
      expected.add("tick " + i);
    }
    expected.add("marker");
    eventually().untilAsserted(() -> assertThat(resumed.data()).isEqualTo(expected));
    assertThat(resumed.text()).doesNotContain(SseService.RESET_EVENT);
  }

  @Test
  void anUpToDateClientGetsNothingToReplay() {
    InMemoryTransport first = nodes.connect("a", "u1", null);
    nodes.service("a").sendToAll("x");
    String lastSeen = lastIdSeenBy(first, 1);

    InMemoryTransport resumed = resume("a", "u1", lastSeen);
    nodes.service("a").sendToAll("y");

    eventually().untilAsserted(() -> assertThat(resumed.data()).containsExactly("y"));
    assertThat(resumed.text()).doesNotContain(SseService.RESET_EVENT);
  }

  @Test
  void anUnknownIdGetsTheResetEventWithTheNewestId() {
    InMemoryTransport watcher = nodes.connect("a", "w", null);
    nodes.service("a").sendToAll("newest");
    String newest = lastIdSeenBy(watcher, 1);

    InMemoryTransport stale = resume("a", "s", "no-such-id");

    eventually().untilAsserted(() -> assertThat(stale.events()).hasSize(1));
    ReceivedEvent reset = stale.events().get(0);
    assertThat(reset.event()).isEqualTo(SseService.RESET_EVENT);
    assertThat(reset.data()).isEqualTo(newest);
    assertThat(reset.lastEventId()).isEqualTo(newest);
  }

  /**
   * Whether the history replays from an id the sender gave ({@code sendToClient(..., id)}); a
   * history that replays only from ids it assigned answers the reset event for them instead.
   */
  protected boolean replaysFromGivenIds() {
    return true;
  }

  @Test
  void givenIdsThatRepeatAcrossClientsResumeEachClientAtItsOwnEvent() {
    SseService a = nodes.service("a");
    InMemoryTransport ann = nodes.connect("a", "ann", null);
    InMemoryTransport bob = nodes.connect("a", "bob", null);
    // each client numbers its own events: both get an event with id 1
    a.sendToClient("ann", "ann's 1", null, null, "1");
    lastIdSeenBy(ann, 1);
    nodes.connection(ann).close();
    a.sendToClient("ann", "ann's 2", null, null, "2"); // ann is away
    a.sendToClient("bob", "bob's 1", null, null, "1"); // the group's newest id is bob's "1"
    eventually().untilAsserted(() -> assertThat(bob.data()).containsExactly("bob's 1"));

    InMemoryTransport resumed = resume("a", "ann", "1");

    if (replaysFromGivenIds()) {
      eventually().untilAsserted(() -> assertThat(resumed.data()).containsExactly("ann's 2"));
    } else {
      eventually().untilAsserted(() -> assertThat(resumed.events()).isNotEmpty());
      assertThat(resumed.events().get(0).event())
          .as("never an empty replay: a reset")
          .isEqualTo(SseService.RESET_EVENT);
    }
    a.sendToClient("ann", "ann's 3", null, null, "3");
    eventually().untilAsserted(() -> assertThat(resumed.data()).endsWith("ann's 3"));
  }

  @Test
  void aResetNeverNamesAnotherClientsPrivateId() {
    // a history that anchors on its own positions may name any position: a reconnect with it
    // resumes there exactly; one that looks ids up would answer that client a reset again
    org.junit.jupiter.api.Assumptions.assumeTrue(replaysFromGivenIds());
    SseService a = nodes.service("a");
    InMemoryTransport watcher = nodes.connect("a", "w", null);
    a.sendToAll("for everyone");
    String groupId = lastIdSeenBy(watcher, 1);
    a.sendToClient("w", "private to w");
    lastIdSeenBy(watcher, 2);

    InMemoryTransport stale = resume("a", "s", "no-such-id");

    eventually().untilAsserted(() -> assertThat(stale.events()).hasSize(1));
    assertThat(stale.events().get(0).event()).isEqualTo(SseService.RESET_EVENT);
    assertThat(stale.events().get(0).lastEventId())
        .as("the newest id that client s could have seen")
        .isEqualTo(groupId);
  }

  /**
   * The size of an event larger than the history's byte bound for one group, if it has one:
   * by default 5 MiB, over {@code InMemoryEventHistory}'s default of 4 MiB.
   */
  protected int oversizedEventBytes() {
    return 5 << 20;
  }

  @Test
  void anEventLargerThanTheHistorysByteBoundIsStillReplayedAndNamedByResets() {
    SseService a = nodes.service("a");
    InMemoryTransport first = nodes.connect("a", "u1", null);
    InMemoryTransport watcher = nodes.connect("a", "w", null);
    a.sendToAll("small");
    String lastSeen = lastIdSeenBy(first, 1);
    lastIdSeenBy(watcher, 1);
    nodes.connection(first).close();
    String big = "x".repeat(oversizedEventBytes());
    a.sendToAll(big);
    String bigId = lastIdSeenBy(watcher, 2);

    InMemoryTransport stale = resume("a", "s", "no-such-id");
    // before anything else is sent: a reset names the newest id when the history answers
    eventually().untilAsserted(() -> assertThat(stale.events()).hasSize(1));
    assertThat(stale.events().get(0).event()).isEqualTo(SseService.RESET_EVENT);
    assertThat(stale.events().get(0).data()).as("a reset names the big event").isEqualTo(bigId);
    InMemoryTransport missedIt = resume("a", "u1", lastSeen);
    InMemoryTransport sawIt = resume("a", "u2", bigId);
    a.sendToAll("live");

    eventually().untilAsserted(() -> assertThat(missedIt.data()).hasSize(2));
    assertThat(missedIt.text())
        .as("the big event is replayed, no reset")
        .doesNotContain(SseService.RESET_EVENT);
    assertThat(missedIt.data().get(0)).isEqualTo(big);
    assertThat(missedIt.data().get(1)).isEqualTo("live");
    eventually().untilAsserted(() -> assertThat(sawIt.data()).containsExactly("live"));
    assertThat(sawIt.text()).doesNotContain(SseService.RESET_EVENT);
  }

  @Test
  void moreMissedEventsThanTheReplayLimitGetTheResetEvent() {
    InMemoryTransport first = nodes.connect("a", "u1", null);
    nodes.service("a").sendToAll("seen");
    String lastSeen = lastIdSeenBy(first, 1);
    for (int i = 0; i <= REPLAY_LIMIT; i++) {
      nodes.service("a").sendToAll("missed " + i);
    }
    String newest = lastIdSeenBy(first, REPLAY_LIMIT + 2);

    InMemoryTransport resumed = resume("a", "u1", lastSeen);

    eventually().untilAsserted(() -> assertThat(resumed.events()).hasSize(1));
    assertThat(resumed.events().get(0).event()).isEqualTo(SseService.RESET_EVENT);
    assertThat(resumed.events().get(0).data()).isEqualTo(newest);
  }

  @Test
  void replaysRacingWithSendsLoseAndRepeatNothing() throws Exception {
    SseService a = nodes.service("a");
    InMemoryTransport seed = nodes.connect("a", "seed", null);
    a.sendToAll("start");
    String start = lastIdSeenBy(seed, 1);
    AtomicBoolean sending = new AtomicBoolean(true);
    Thread sender =
        new Thread(
            () -> {
              for (int i = 0; sending.get() && i < REPLAY_LIMIT - 100; i++) {
                a.sendToAll("e" + i);
              }
            });
    sender.start();
    List<InMemoryTransport> joiners = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      joiners.add(resume("a", "j" + i, start));
      Thread.sleep(1);
    }
    sending.set(false);
    sender.join();
    a.sendToAll("end");

    eventually().untilAsserted(() -> assertThat(seed.data()).endsWith("end"));
    List<String> expected = seed.data().subList(1, seed.data().size());
    for (InMemoryTransport joiner : joiners) {
      eventually().untilAsserted(() -> assertThat(joiner.data()).endsWith("end"));
      assertThat(joiner.text()).doesNotContain(SseService.RESET_EVENT);
      assertThat(joiner.data()).isEqualTo(expected);
    }
  }

  @Test
  void aClientMayComeBackToAnotherNode() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        sharedAcrossNodes(), "this history is not shared by nodes");
    SseService a = nodes.service("a");
    InMemoryTransport onA = nodes.connect("a", "u1", null);
    InMemoryTransport otherDevice = nodes.connect("a", "u1", null);
    a.sendToAll("seen on a");
    String lastSeen = lastIdSeenBy(onA, 1);
    nodes.connection(onA).close();
    a.sendToAll("missed 1");
    nodes.service("b").sendToClient("u1", "missed 2");
    // sends from two nodes are ordered by the cluster, not by the test's clock: let both land
    eventually()
        .untilAsserted(() -> assertThat(otherDevice.data()).contains("missed 1", "missed 2"));

    InMemoryTransport onB = resume("b", "u1", lastSeen);
    a.sendToAll("live");

    List<String> expected = new ArrayList<>(otherDevice.data().subList(1, 3));
    expected.add("live");
    eventually().untilAsserted(() -> assertThat(onB.data()).isEqualTo(expected));
    settle();
    assertThat(onB.data()).as("the cluster's order, nothing twice").isEqualTo(expected);
  }

  private static void settle() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
