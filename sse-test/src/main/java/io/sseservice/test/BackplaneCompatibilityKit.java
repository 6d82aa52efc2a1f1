package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.SseConnection;
import io.sseservice.SseEvent;
import io.sseservice.SseService;
import io.sseservice.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * What every {@link io.sseservice.spi.Backplane} must do, checked through three real
 * {@link SseService} nodes ({@code a}, {@code b}, {@code c}) joined by the cluster under test: a
 * send on any node reaches the right connections on every node, exactly once, in one order per
 * group; a node whose feed lost messages catches up without its clients noticing; a log that is
 * gone turns into the reset event. {@code InMemoryCluster} passes it; so must {@code sse-redis}.
 *
 * <pre>{@code
 * class RedisBackplaneIT extends BackplaneCompatibilityKit {
 *   protected ClusterFixture cluster() { return new RedisFixture(redis); }
 * }
 * }</pre>
 *
 * <p>Thread-safety: a JUnit test class; JUnit makes one instance per test.
 */
public abstract class BackplaneCompatibilityKit extends ClusterKit {

  @Test
  void aConflationKeyTravelsWithTheEventToEveryNode() {
    InMemoryTransport stalled = nodes.connect("b", "u1", null);
    SseConnection connection = nodes.connection(stalled);
    SseService b = nodes.service("b");
    stalled.pause(); // the first event stays in flight, the next ones wait in the queue
    SseService a = nodes.service("a");
    for (String price : List.of("10", "11", "12")) {
      a.send(Target.defaultGroup(), SseEvent.builder().data(price).conflationKey("AAPL").build());
    }
    // on node b, 11 waited behind 10 and was replaced by 12
    eventually().untilAsserted(() -> assertThat(b.stats().eventsConflated()).isEqualTo(1));
    // a connection's own events take another way through the cluster: sent once the group's came
    a.send(
        Target.connection(connection), SseEvent.builder().data("13").conflationKey("AAPL").build());
    eventually().untilAsserted(() -> assertThat(b.stats().eventsConflated()).isEqualTo(2));
    stalled.resume();

    eventually().untilAsserted(() -> assertThat(stalled.data()).containsExactly("10", "13"));
    assertThat(stalled.text()).doesNotContain("AAPL"); // the key is never written
  }

  @Test
  void sendToClientReachesEveryDeviceOnEveryNodeOnce() {
    InMemoryTransport phone = nodes.connect("a", "u1", null);
    InMemoryTransport laptop = nodes.connect("b", "u1", null);
    InMemoryTransport other = nodes.connect("b", "u2", null);

    nodes.service("c").sendToClient("u1", "for u1");
    nodes.service("a").sendToClient("u2", "for u2");

    eventually()
        .untilAsserted(
            () -> {
              assertThat(phone.data()).containsExactly("for u1");
              assertThat(laptop.data()).containsExactly("for u1");
              assertThat(other.data()).containsExactly("for u2");
            });
    settleThenAssert(() -> assertThat(phone.data()).containsExactly("for u1"));
  }

  @Test
  void sendToAllReachesTheGroupOnEveryNodeAndOnlyIt() {
    List<InMemoryTransport> room =
        List.of(
            nodes.connect("a", "x", "room"),
            nodes.connect("b", "y", "room"),
            nodes.connect("c", "z", "room"));
    InMemoryTransport lobby = nodes.connect("a", "w", null);

    nodes.service("b").sendToAll("to the room", null, "room");
    nodes.service("c").sendToAll("to the lobby");

    eventually()
        .untilAsserted(
            () -> {
              room.forEach(t -> assertThat(t.data()).containsExactly("to the room"));
              assertThat(lobby.data()).containsExactly("to the lobby");
            });
  }

  @Test
  void everyoneReachesEveryGroupOnEveryNode() {
    InMemoryTransport first = nodes.connect("a", "x", "g1");
    InMemoryTransport second = nodes.connect("c", "y", "g2");

    nodes.service("b").send(Target.everyone(), SseEvent.of("to all"));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(first.data()).containsExactly("to all");
              assertThat(second.data()).containsExactly("to all");
            });
  }

  @Test
  void aConnectionTargetReachesThatConnectionOnItsNodeOnly() {
    InMemoryTransport tab = nodes.connect("b", "u1", null);
    InMemoryTransport otherTab = nodes.connect("b", "u1", null);
    InMemoryTransport elsewhere = nodes.connect("c", "u1", null);
    String id = nodes.connection(tab).id();
    assertThat(id).startsWith("b.");

    nodes.service("a").send(Target.connection(id), SseEvent.of("just this tab"));

    eventually().untilAsserted(() -> assertThat(tab.data()).containsExactly("just this tab"));
    settleThenAssert(
        () -> {
          assertThat(otherTab.data()).isEmpty();
          assertThat(elsewhere.data()).isEmpty();
        });
  }

  @Test
  void everyConnectionOfAGroupSeesOneOrderWhateverNodePublished() throws Exception {
    List<InMemoryTransport> readers =
        List.of(
            nodes.connect("a", "r1", "g"),
            nodes.connect("b", "r2", "g"),
            nodes.connect("c", "r3", "g"));
    int perPublisher = 200;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> publishers = new ArrayList<>();
    for (String node : List.of("a", "b", "c")) {
      Thread t =
          new Thread(
              () -> {
                awaitLatch(start);
                for (int i = 0; i < perPublisher; i++) {
                  nodes.service(node).sendToAll(node + i, null, "g");
                }
              });
      t.start();
      publishers.add(t);
    }
    start.countDown();
    for (Thread t : publishers) {
      t.join();
    }

    eventually()
        .untilAsserted(() -> readers.forEach(r -> assertThat(r.data()).hasSize(3 * perPublisher)));
    List<String> order = readers.get(0).data();
    assertThat(order).doesNotHaveDuplicates();
    for (InMemoryTransport reader : readers) {
      assertThat(reader.data()).as("the same order on every node").isEqualTo(order);
      assertThat(reader.text()).doesNotContain(SseService.RESET_EVENT);
    }
    for (String node : List.of("a", "b", "c")) {
      List<String> own = order.stream().filter(d -> d.startsWith(node)).toList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < perPublisher; i++) {
        expected.add(node + i);
      }
      assertThat(own).as("each publisher's own order kept").isEqualTo(expected);
    }
  }

  @Test
  void aNodeWhoseFeedLostMessagesCatchesUpWithoutAReset() {
    InMemoryTransport onB = nodes.connect("b", "u1", "g");
    InMemoryTransport onC = nodes.connect("c", "u2", "g");
    SseService a = nodes.service("a");
    a.sendToAll("before", null, "g");
    eventually().untilAsserted(() -> assertThat(onB.data()).containsExactly("before"));

    ClusterFixture fixture = fixture();
    fixture.cutFeed("b");
    for (int i = 0; i < 10; i++) {
      a.sendToAll("while cut " + i, null, "g");
    }
    eventually().untilAsserted(() -> assertThat(onC.data()).hasSize(11));
    fixture.restoreFeed("b");
    a.sendToAll("after", null, "g");

    List<String> expected = new ArrayList<>(List.of("before"));
    for (int i = 0; i < 10; i++) {
      expected.add("while cut " + i);
    }
    expected.add("after");
    eventually().untilAsserted(() -> assertThat(onB.data()).isEqualTo(expected));
    assertThat(onB.text()).doesNotContain(SseService.RESET_EVENT);
  }

  @Test
  void aGroupsFirstEventsLostOnTheFeedAreHealedToo() {
    // b's connections joined before any event of their groups reached b: b has no position of
    // them from the feed, so the log itself must tell it where it stood
    InMemoryTransport quiet = nodes.connect("b", "u1", "quiet");
    InMemoryTransport used = nodes.connect("b", "u2", "used");
    InMemoryTransport onC = nodes.connect("c", "u3", "used");
    SseService a = nodes.service("a");
    a.sendToAll("before", null, "used");
    eventually().untilAsserted(() -> assertThat(onC.data()).containsExactly("before"));
    eventually().untilAsserted(() -> assertThat(used.data()).containsExactly("before"));

    ClusterFixture fixture = fixture();
    fixture.cutFeed("b");
    a.sendToAll("first", null, "quiet");
    a.sendToAll("second", null, "quiet");
    a.sendToAll("marker", null, "used");
    eventually().untilAsserted(() -> assertThat(onC.data()).endsWith("marker"));
    fixture.restoreFeed("b");

    eventually().untilAsserted(() -> assertThat(quiet.data()).containsExactly("first", "second"));
    eventually().untilAsserted(() -> assertThat(used.data()).containsExactly("before", "marker"));
    assertThat(quiet.text()).doesNotContain(SseService.RESET_EVENT);
  }

  @Test
  void aGapTheLogNoLongerHoldsBecomesTheResetEvent() {
    InMemoryTransport onB = nodes.connect("b", "u1", "g");
    InMemoryTransport onC = nodes.connect("c", "u2", "g");
    SseService a = nodes.service("a");
    a.sendToAll("first", null, "g");
    eventually().untilAsserted(() -> assertThat(onB.data()).containsExactly("first"));

    ClusterFixture fixture = fixture();
    fixture.cutFeed("b");
    for (int i = 0; i < 5; i++) {
      a.sendToAll("lost " + i, null, "g");
    }
    // the sends are in the log (another node has them) before it is trimmed
    eventually().untilAsserted(() -> assertThat(onC.data()).hasSize(6));
    fixture.trimAll("g"); // the gap is gone for good
    fixture.restoreFeed("b");

    eventually()
        .untilAsserted(
            () ->
                assertThat(onB.events())
                    .extracting(ReceivedEvent::event)
                    .containsExactly("message", SseService.RESET_EVENT));
    ReceivedEvent reset = onB.events().get(1);
    assertThat(reset.data())
        .as("the group's newest id")
        .isNotEmpty()
        .isEqualTo(reset.lastEventId());
    a.sendToAll("after", null, "g");
    eventually().untilAsserted(() -> assertThat(onB.data()).endsWith("after"));
    assertThat(onB.data()).noneMatch(d -> d.startsWith("lost"));
  }

  @Test
  void aStoreThatLostItsDataResetsTheGroupsAndDeliveryGoesOn() {
    InMemoryTransport onB = nodes.connect("b", "u1", "g");
    SseService a = nodes.service("a");
    a.sendToAll("old life", null, "g");
    eventually().untilAsserted(() -> assertThat(onB.data()).containsExactly("old life"));

    fixture().loseData();
    a.sendToAll("new life", null, "g");

    eventually().untilAsserted(() -> assertThat(onB.data()).endsWith("new life"));
    assertThat(onB.events()).extracting(ReceivedEvent::event).contains(SseService.RESET_EVENT);
  }

  @Test
  void idsAreComparableAcrossNodes() {
    InMemoryTransport onA = nodes.connect("a", "u1", "g");
    InMemoryTransport onB = nodes.connect("b", "u2", "g");
    nodes.service("c").sendToAll("one", null, "g");

    eventually().untilAsserted(() -> assertThat(onB.events()).hasSize(1));
    eventually().untilAsserted(() -> assertThat(onA.events()).hasSize(1));
    assertThat(onA.events().get(0).lastEventId())
        .isNotEmpty()
        .isEqualTo(onB.events().get(0).lastEventId());
  }

  private ClusterFixture fixture() {
    return nodes.fixture();
  }

  /** Lets deliveries that are still under way land, then checks that nothing more came. */
  private static void settleThenAssert(Runnable assertion) {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertion.run();
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
