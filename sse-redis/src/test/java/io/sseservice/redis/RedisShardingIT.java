package io.sseservice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.test.ClusterNodes;
import io.sseservice.test.ReceivedEvent;
import io.sseservice.test.RedisServer;
import io.sseservice.test.SseTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Groups spread over two Redis servers: each group's log lives on one of them, every node reads
 * both, replay reads the right one, and a server that stops holds up only its own groups.
 */
class RedisShardingIT {

  private final List<AutoCloseable> open = new ArrayList<>();
  private final String prefix = "shard" + System.nanoTime() + ":";

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

  private HttpNode node(List<RedisServer> servers, String id) throws Exception {
    List<String> uris = servers.stream().map(RedisServer::uri).toList();
    return keep(new HttpNode(uris.get(0), prefix, id, b -> b.uris(uris)));
  }

  /** A reader of {@code group} on node b, once node a's directory lists it. */
  private SseTestClient reader(HttpNode a, HttpNode b, String group) {
    SseTestClient reader = keep(SseTestClient.connect(b.sse("clientId=r&group=" + group)));
    ClusterNodes.eventually().until(() -> a.service.directory().clients(group).join().size() == 1);
    return reader;
  }

  /** The first group name {@code "g<n>"} that lands on server {@code shard}. */
  private static String groupOn(RedisCluster cluster, int shard) {
    for (int n = 0; ; n++) {
      if (cluster.shard("g" + n) == shard) {
        return "g" + n;
      }
    }
  }

  @Test
  void eachGroupLivesOnOneServerAndEveryNodeDeliversAndReplaysItFromThere() throws Exception {
    List<RedisServer> servers = List.of(RedisServer.shared(0), RedisServer.shared(1));
    HttpNode a = node(servers, "a");
    HttpNode b = node(servers, "b");
    String first = groupOn(a.redis, 0);
    String second = groupOn(a.redis, 1);
    SseTestClient onFirst = reader(a, b, first);
    SseTestClient onSecond = reader(a, b, second);

    a.service.sendToAll("one", null, first);
    a.service.sendToAll("two", null, second);
    assertThat(onFirst.takeEvent().data()).isEqualTo("one");
    ReceivedEvent two = onSecond.takeEvent();
    assertThat(two.data()).isEqualTo("two");

    Keys keys = new Keys(prefix);
    assertThat(servers.get(0).command("EXISTS", keys.log(first))).isEqualTo(":1");
    assertThat(servers.get(1).command("EXISTS", keys.log(first))).isEqualTo(":0");
    assertThat(servers.get(1).command("EXISTS", keys.log(second))).isEqualTo(":1");
    assertThat(servers.get(0).command("EXISTS", keys.log(second))).isEqualTo(":0");
    assertThat(servers.get(1).command("EXISTS", keys.groupClients(second)))
        .as("the directory lives on the first server")
        .isEqualTo(":0");

    onSecond.close();
    a.service.sendToAll("missed", null, second);
    SseTestClient back =
        keep(
            SseTestClient.builder(a.sse("clientId=r&group=" + second))
                .header("Last-Event-ID", two.lastEventId())
                .connect());
    assertThat(back.takeEvent().data()).as("replayed from the second server").isEqualTo("missed");
  }

  @Test
  void aServerThatStopsHoldsUpOnlyItsOwnGroups() throws Exception {
    List<RedisServer> servers = List.of(RedisServer.shared(0), keep(RedisServer.start(true)));
    HttpNode a = node(servers, "a");
    HttpNode b = node(servers, "b");
    String first = groupOn(a.redis, 0);
    String second = groupOn(a.redis, 1);
    SseTestClient onFirst = reader(a, b, first);
    SseTestClient onSecond = reader(a, b, second);

    servers.get(1).stop();
    a.service.sendToAll("waits for its server", null, second);
    for (int i = 0; i < 5; i++) {
      a.service.sendToAll("goes on " + i, null, first);
    }
    for (int i = 0; i < 5; i++) {
      assertThat(onFirst.takeEvent().data()).isEqualTo("goes on " + i);
    }
    assertThat(onSecond.pollEvent(Duration.ofMillis(200))).isNull();
    ClusterNodes.eventually().until(a.redis::isUnreachable);

    servers.get(1).restart();
    ReceivedEvent late = onSecond.takeEvent(Duration.ofSeconds(30));
    assertThat(late.event()).as("no reset: the server persists").isEqualTo("message");
    assertThat(late.data()).isEqualTo("waits for its server");
    assertThat(a.listener.publishFailures()).isEmpty();
    ClusterNodes.eventually().until(() -> !a.redis.isUnreachable());
  }

  @Test
  void groupsSpreadEvenlyAndAnAddedServerTakesOnlyItsShare() {
    List<String> three =
        List.of("redis://10.0.0.1:6379", "redis://10.0.0.2:6379", "redis://10.0.0.3:6379");
    List<String> four = new ArrayList<>(three);
    four.add("redis://10.0.0.4:6379");
    try (RedisCluster before = RedisCluster.builder().uris(three).build();
        RedisCluster after = RedisCluster.builder().uris(four).build()) {
      int groups = 30_000;
      Map<Integer, Integer> perServer = new HashMap<>();
      int moved = 0;
      for (int i = 0; i < groups; i++) {
        String group = "room-" + i;
        int was = before.shard(group);
        int is = after.shard(group);
        perServer.merge(was, 1, Integer::sum);
        if (was != is) {
          moved++;
          assertThat(is).as("a group moves only to the new server").isEqualTo(3);
        }
      }
      assertThat(perServer.values())
          .allSatisfy(
              n -> assertThat(n).isBetween(groups / 3 - groups / 30, groups / 3 + groups / 30));
      assertThat(moved)
          .as("about a quarter moves")
          .isBetween(groups / 4 - groups / 40, groups / 4 + groups / 40);
    }
  }
}
