package io.sseservice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseservice.ClientInfo;
import io.sseservice.ConnectionInfo;
import io.sseservice.SseException;
import io.sseservice.SseService;
import io.sseservice.test.ClusterNodes;
import io.sseservice.test.ReceivedEvent;
import io.sseservice.test.RedisServer;
import io.sseservice.test.SseTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes, each with its own Redis client, service and HTTP server, in one JVM, read by real
 * SSE clients: what a cluster behind a load balancer does, including a pub/sub connection that
 * drops, a Redis that restarts mid-stream (with and without its data), and an outage longer than
 * the pending bound.
 */
class RedisClusterIT {

  private final List<AutoCloseable> open = new ArrayList<>();
  private final String prefix = "it" + System.nanoTime() + ":";

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T keep(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private HttpNode node(RedisServer redis, String id) throws Exception {
    return keep(new HttpNode(redis.uri(), prefix, id));
  }

  private SseTestClient client(HttpNode node, String query) {
    return keep(SseTestClient.connect(node.sse(query)));
  }

  private static ConditionFactory eventually() {
    return ClusterNodes.eventually();
  }

  @Test
  void aSendOnOneNodeReachesEveryDeviceOnEveryNodeAndEveryNodeListsThem() throws Exception {
    RedisServer redis = RedisServer.shared();
    HttpNode a = node(redis, "a");
    HttpNode b = node(redis, "b");
    HttpNode c = node(redis, "c");
    SseTestClient phone = client(a, "clientId=u1");
    SseTestClient laptop = client(b, "clientId=u1");
    SseTestClient other = client(b, "clientId=u2&group=room");

    eventually()
        .untilAsserted(
            () -> {
              ClientInfo u1 = c.service.directory().client("u1").join().orElseThrow();
              assertThat(u1.connections())
                  .extracting(ConnectionInfo::nodeId)
                  .containsExactlyInAnyOrder("a", "b");
            });
    c.service.sendToClient("u1", "for both devices");
    c.service.sendToAll("to the room", null, "room");

    assertThat(phone.takeEvent().data()).isEqualTo("for both devices");
    assertThat(laptop.takeEvent().data()).isEqualTo("for both devices");
    assertThat(other.takeEvent().data()).isEqualTo("to the room");
    assertThat(phone.pollEvent(Duration.ofMillis(300))).as("once").isNull();
    assertThat(a.service.directory().clients("room").join())
        .extracting(ClientInfo::id)
        .containsExactly("u2");
  }

  @Test
  void aBrowserThatComesBackToAnotherNodeGetsExactlyWhatItMissed() throws Exception {
    RedisServer redis = RedisServer.shared();
    HttpNode a = node(redis, "a");
    HttpNode b = node(redis, "b");
    HttpNode c = node(redis, "c");
    String lastSeen;
    try (SseTestClient first = SseTestClient.connect(a.sse("clientId=u1"))) {
      c.service.sendToAll("seen");
      lastSeen = first.takeEvent().lastEventId();
    }
    for (int i = 1; i <= 5; i++) {
      c.service.sendToAll("missed " + i);
    }
    SseTestClient probe = client(a, "clientId=probe");
    c.service.sendToAll("marker");
    while (!probe.takeEvent().data().equals("marker")) {
      // the probe may get some of the missed events, still on their way when it connected
    }

    SseTestClient back =
        keep(
            SseTestClient.builder(b.sse("clientId=u1"))
                .header("Last-Event-ID", lastSeen)
                .connect());
    c.service.sendToAll("live");

    List<String> got = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      got.add(back.takeEvent().data());
    }
    assertThat(got)
        .containsExactly(
            "missed 1", "missed 2", "missed 3", "missed 4", "missed 5", "marker", "live");
    assertThat(back.pollEvent(Duration.ofMillis(300))).as("nothing twice").isNull();
  }

  @Test
  void aDroppedPubSubConnectionIsHealedWithoutAReset() throws Exception {
    RedisServer redis = RedisServer.shared();
    HttpNode a = node(redis, "a");
    HttpNode b = node(redis, "b");
    SseTestClient reader = client(b, "clientId=r&group=g");
    eventually().until(() -> a.service.directory().client("r", "g").join().isPresent());
    AtomicBoolean sending = new AtomicBoolean(true);
    int[] sent = new int[1];
    Thread publisher =
        new Thread(
            () -> {
              while (sending.get() && sent[0] < 2_000) {
                a.service.sendToAll(Integer.toString(sent[0]++), null, "g");
                if (sent[0] % 50 == 0) {
                  sleep(5);
                }
              }
            });
    publisher.start();
    for (int kill = 0; kill < 3; kill++) {
      sleep(100);
      assertThat(redis.command("CLIENT", "KILL", "TYPE", "pubsub")).startsWith(":");
    }
    sleep(100);
    sending.set(false);
    publisher.join();

    for (int i = 0; i < sent[0]; i++) {
      ReceivedEvent event = reader.takeEvent();
      assertThat(event.event()).as("no reset").isEqualTo("message");
      assertThat(event.data()).isEqualTo(Integer.toString(i));
    }
    assertThat(reader.pollEvent(Duration.ofMillis(300))).as("nothing twice").isNull();
  }

  @Test
  void aRedisRestartedMidStreamLosesNothingWhenItPersists() throws Exception {
    RedisServer redis = keep(RedisServer.start(true));
    HttpNode a = node(redis, "a");
    HttpNode b = node(redis, "b");
    SseTestClient reader = client(b, "clientId=r&group=g");
    eventually().until(() -> a.service.directory().client("r", "g").join().isPresent());
    for (int i = 0; i < 10; i++) {
      a.service.sendToAll("before " + i, null, "g");
    }
    for (int i = 0; i < 10; i++) {
      assertThat(reader.takeEvent().data()).isEqualTo("before " + i);
    }

    redis.stop();
    for (int i = 0; i < 10; i++) {
      a.service.sendToAll("during " + i, null, "g"); // waits for Redis
    }
    redis.restart();
    for (int i = 0; i < 10; i++) {
      a.service.sendToAll("after " + i, null, "g");
    }

    for (String phase : List.of("during", "after")) {
      for (int i = 0; i < 10; i++) {
        ReceivedEvent event = reader.takeEvent(Duration.ofSeconds(30));
        assertThat(event.event()).as("no reset: the log survived").isEqualTo("message");
        assertThat(event.data()).isEqualTo(phase + " " + i);
      }
    }
    assertThat(reader.pollEvent(Duration.ofMillis(300))).isNull();
    assertThat(a.listener.publishFailures()).isEmpty();
  }

  @Test
  void aRedisThatLostItsDataResetsItsGroupsOnceAndDeliveryGoesOn() throws Exception {
    RedisServer redis = keep(RedisServer.start(false));
    HttpNode a = node(redis, "a");
    HttpNode b = node(redis, "b");
    SseTestClient reader = client(b, "clientId=r&group=g");
    eventually().until(() -> a.service.directory().client("r", "g").join().isPresent());
    a.service.sendToAll("old life", null, "g");
    assertThat(reader.takeEvent().data()).isEqualTo("old life");

    redis.kill();
    redis.restart();
    eventually().until(() -> !a.redis.isUnreachable() && !b.redis.isUnreachable());
    a.service.sendToAll("new life", null, "g");

    ReceivedEvent reset = reader.takeEvent(Duration.ofSeconds(30));
    assertThat(reset.event()).isEqualTo(SseService.RESET_EVENT);
    assertThat(reader.takeEvent().data()).isEqualTo("new life");
    eventually()
        .untilAsserted(
            () ->
                assertThat(a.service.directory().client("r", "g").join())
                    .as("the node announced its connections again")
                    .isPresent());
  }

  @Test
  void sendsBeyondThePendingBoundAreRefusedWithAClearError() throws Exception {
    RedisServer redis = keep(RedisServer.start(false));
    HttpNode a = keep(new HttpNode(redis.uri(), prefix, "a", r -> r.maxPendingSends(5)));
    eventually().until(() -> a.service.directory().groups().join() != null);
    redis.stop();
    eventually().until(a.redis::isUnreachable);

    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 50; i++) {
                a.service.sendToAll("during " + i);
              }
            })
        .isInstanceOf(SseException.class)
        .hasMessageContaining("backplane did not take")
        .hasMessageContaining("maxPendingSends; Redis is unreachable");
    redis.restart();
  }

  @Test
  void anUnpacedBurstToAHealthyRedisArrivesWholeAndInOrder() throws Exception {
    // 20,000 sends in a loop from one thread: more than Lettuce's default request queue, which
    // once refused the second half of such a burst although Redis was up
    RedisServer redis = RedisServer.shared();
    HttpNode a = node(redis, "a");
    HttpNode b = node(redis, "b");
    SseTestClient reader = client(b, "clientId=r&group=burst");
    eventually().until(() -> a.service.directory().client("r", "burst").join().isPresent());
    int sends = 20_000;
    for (int i = 0; i < sends; i++) {
      a.service.sendToAll(Integer.toString(i), null, "burst");
    }
    for (int i = 0; i < sends; i++) {
      ReceivedEvent event = reader.takeEvent();
      assertThat(event.event()).as("no reset").isEqualTo("message");
      assertThat(event.data()).isEqualTo(Integer.toString(i));
    }
    assertThat(a.listener.publishFailures()).isEmpty();
    assertThat(a.service.stats().publishFailures()).isZero();
  }

  @Test
  void eventsOlderThanMaxAgeLeaveTheLogAndTheirReplayIsAReset() throws Exception {
    RedisServer redis = RedisServer.shared();
    HttpNode a =
        keep(new HttpNode(redis.uri(), prefix, "a", r -> r.maxAge(Duration.ofMillis(200))));
    String seen;
    try (SseTestClient first = SseTestClient.connect(a.sse("clientId=u1&group=aged"))) {
      a.service.sendToAll("seen", null, "aged");
      seen = first.takeEvent().lastEventId();
    }
    a.service.sendToAll("missed, then too old", null, "aged");
    sleep(400); // the age is Redis's clock: real time has to pass
    a.service.sendToAll("new", null, "aged");
    String log = new Keys(prefix).log("aged");
    eventually().until(() -> redis.command("XLEN", log).equals(":1"));

    SseTestClient back =
        keep(
            SseTestClient.builder(a.sse("clientId=u1&group=aged"))
                .header("Last-Event-ID", seen)
                .connect());
    assertThat(back.takeEvent().event()).isEqualTo(SseService.RESET_EVENT);
    assertThat(back.pollEvent(Duration.ofMillis(200)))
        .as("the newer event was before the reset")
        .isNull();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
