package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.ClientInfo;
import io.sseservice.ConnectOptions;
import io.sseservice.ConnectionInfo;
import io.sseservice.PresenceEvent;
import io.sseservice.SseService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link io.sseservice.spi.ClientDirectory} must do, checked through three real
 * {@link SseService} nodes ({@code a}, {@code b}, {@code c}): {@code service.directory()} lists
 * the clients of every node with their connections and metadata, metadata set on one node is seen
 * on all, presence fires on every node once per cluster-wide transition, and the clients of a node
 * that left or died disappear. {@code InMemoryCluster} passes it; so must {@code sse-redis}.
 *
 * <p>Thread-safety: a JUnit test class; JUnit makes one instance per test.
 */
public abstract class ClientDirectoryCompatibilityKit extends ClusterKit {

  @Test
  void everyNodeListsTheClientsOfEveryNode() {
    nodes.connect("a", "u1", null);
    nodes.connect("b", "u1", null);
    nodes.connect("c", "u2", "room");

    eventually()
        .untilAsserted(
            () -> {
              for (String node : List.of("a", "b", "c")) {
                ClientInfo u1 = nodes.service(node).directory().client("u1").join().orElseThrow();
                assertThat(u1.connections())
                    .extracting(ConnectionInfo::nodeId)
                    .containsExactlyInAnyOrder("a", "b");
                assertThat(u1.nodes()).containsExactlyInAnyOrder("a", "b");
                assertThat(nodes.service(node).directory().clients("room").join())
                    .extracting(ClientInfo::id)
                    .containsExactly("u2");
                assertThat(nodes.service(node).directory().groups().join())
                    .containsExactlyInAnyOrder("default", "room");
              }
            });
    assertThat(nodes.service("c").client("u1")).as("the live view stays local").isEmpty();
    assertThat(nodes.service("a").directory().client("nobody").join()).isEmpty();
  }

  @Test
  void metadataSetOnOneNodeIsSeenOnEveryNode() {
    nodes.connect(
        "b", ConnectOptions.builder().clientId("u1").metadata(Map.of("name", "Ann")).build());
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        nodes
                            .service("c")
                            .directory()
                            .client("u1")
                            .join()
                            .map(ClientInfo::metadata))
                    .contains(Map.of("name", "Ann")));

    Optional<ClientInfo> set =
        nodes.service("a").directory().setClientMetadata("u1", Map.of("name", "Bea"), null).join();

    assertThat(set.orElseThrow().metadata()).isEqualTo(Map.of("name", "Bea"));
    eventually()
        .untilAsserted(
            () -> {
              assertThat(nodes.service("b").client("u1").orElseThrow().metadata())
                  .as("the live client on its own node follows")
                  .isEqualTo(Map.of("name", "Bea"));
              assertThat(
                      nodes.service("c").directory().client("u1").join().orElseThrow().metadata())
                  .isEqualTo(Map.of("name", "Bea"));
            });
    assertThat(nodes.service("a").directory().setClientMetadata("nobody", Map.of(), null).join())
        .isEmpty();
  }

  @Test
  void theSeedsSetClientMetadataReachesTheWholeCluster() {
    nodes.connect("b", "u1", null);
    eventually().until(() -> nodes.service("a").directory().client("u1").join().isPresent());

    nodes.service("a").setClientMetadata("u1", Map.of("role", "admin"));

    eventually()
        .untilAsserted(
            () ->
                assertThat(nodes.service("b").client("u1").orElseThrow().metadata())
                    .isEqualTo(Map.of("role", "admin")));
  }

  @Test
  void eachConnectionKeepsItsOwnMetadataAndConnectsMergeTheClients() {
    nodes.connect(
        "a",
        ConnectOptions.builder()
            .clientId("u1")
            .metadata(Map.of("name", "Ann", "plan", "free"))
            .connectionMetadata(Map.of("device", "phone"))
            .build());
    eventually().until(() -> nodes.service("c").directory().client("u1").join().isPresent());
    nodes.connect(
        "b",
        ConnectOptions.builder()
            .clientId("u1")
            .metadata(Map.of("plan", "pro"))
            .connectionMetadata(Map.of("device", "laptop"))
            .build());

    eventually()
        .untilAsserted(
            () -> {
              ClientInfo u1 = nodes.service("c").directory().client("u1").join().orElseThrow();
              assertThat(u1.connections())
                  .extracting(ConnectionInfo::metadata)
                  .containsExactlyInAnyOrder(Map.of("device", "phone"), Map.of("device", "laptop"));
              assertThat(u1.metadata())
                  .as("the second connect merged its keys, the first's stay")
                  .isEqualTo(Map.of("name", "Ann", "plan", "pro"));
              assertThat(nodes.service("a").client("u1").orElseThrow().metadata())
                  .isEqualTo(Map.of("name", "Ann", "plan", "pro"));
            });
    assertThat(nodes.service("a").client("u1").orElseThrow().connections().get(0).metadata())
        .isEqualTo(Map.of("device", "phone"));
  }

  @Test
  void mergesFromDifferentNodesBothTakeEffectAndNullRemovesAKey() {
    nodes.connect(
        "a",
        ConnectOptions.builder()
            .clientId("u1")
            .metadata(Map.of("name", "Ann", "away", true))
            .build());
    eventually().until(() -> nodes.service("c").directory().client("u1").join().isPresent());
    Map<String, Object> back = new java.util.HashMap<>();
    back.put("away", null);

    java.util.concurrent.CompletableFuture<Optional<ClientInfo>> fromB =
        nodes.service("b").directory().mergeClientMetadata("u1", Map.of("theme", "dark"), null);
    java.util.concurrent.CompletableFuture<Optional<ClientInfo>> fromC =
        nodes.service("c").directory().mergeClientMetadata("u1", back, null);
    fromB.join();
    fromC.join();

    Map<String, Object> expected = Map.of("name", "Ann", "theme", "dark");
    eventually()
        .untilAsserted(
            () -> {
              assertThat(
                      nodes.service("c").directory().client("u1").join().orElseThrow().metadata())
                  .isEqualTo(expected);
              assertThat(nodes.service("a").client("u1").orElseThrow().metadata())
                  .as("the live client on its own node follows")
                  .isEqualTo(expected);
            });
    assertThat(
            nodes.service("a").mergeClientMetadata("u1", Map.of("n", 1)).orElseThrow().metadata())
        .as("this node's client at once")
        .containsEntry("n", 1);
    assertThat(
            nodes
                .service("b")
                .directory()
                .mergeClientMetadata("nobody", Map.of("x", 1), null)
                .join())
        .isEmpty();
  }

  @Test
  void presenceFiresOnEveryNodeOncePerClusterTransition() {
    InMemoryTransport phone = nodes.connect("a", "u1", null);
    InMemoryTransport laptop = nodes.connect("b", "u1", null);
    eventually().untilAsserted(() -> assertPresence(online("u1")));

    nodes.connection(phone).close();
    nodes.connect("c", "u1", null); // still online: no transition
    nodes.connection(laptop).close();
    sleepBriefly();
    assertPresence(online("u1"));

    nodes.service("c").client("u1").orElseThrow().connections().forEach(c -> c.close());
    eventually().untilAsserted(() -> assertPresence(online("u1"), offline("u1")));
  }

  @Test
  void theClientsOfANodeThatLeftAreGone() {
    nodes.connect("b", "only-on-b", null);
    nodes.connect("b", "both", null);
    nodes.connect("c", "both", null);
    eventually().until(() -> nodes.service("a").directory().clients().join().size() == 2);

    nodes.stop("b");

    eventually()
        .untilAsserted(
            () -> {
              assertThat(nodes.service("a").directory().clients().join())
                  .extracting(ClientInfo::id)
                  .containsExactly("both");
              assertThat(nodes.service("a").directory().client("both").join().orElseThrow().nodes())
                  .containsExactly("c");
              assertThat(nodes.listener("a").presence())
                  .contains(offline("only-on-b"))
                  .doesNotContain(offline("both"));
            });
  }

  @Test
  void theClientsOfANodeThatDiedAreGoneAfterItsTtl() {
    nodes.connect("b", "only-on-b", null);
    nodes.connect("c", "elsewhere", null);
    eventually().until(() -> nodes.service("a").directory().clients().join().size() == 2);

    nodes.fixture().crash("b");
    nodes.fixture().awaitCrashNoticed("b");

    eventually()
        .untilAsserted(
            () -> {
              assertThat(nodes.service("a").directory().clients().join())
                  .extracting(ClientInfo::id)
                  .containsExactly("elsewhere");
              assertThat(nodes.listener("a").presence()).containsOnlyOnce(offline("only-on-b"));
              assertThat(nodes.listener("c").presence()).containsOnlyOnce(offline("only-on-b"));
            });
  }

  private void assertPresence(PresenceEvent... expected) {
    for (String node : List.of("a", "b", "c")) {
      assertThat(nodes.listener(node).presence())
          .as("presence seen on " + node)
          .containsExactly(expected);
    }
  }

  private static PresenceEvent online(String clientId) {
    return new PresenceEvent(PresenceEvent.Kind.ONLINE, SseService.Builder.DEFAULT_GROUP, clientId);
  }

  private static PresenceEvent offline(String clientId) {
    return new PresenceEvent(
        PresenceEvent.Kind.OFFLINE, SseService.Builder.DEFAULT_GROUP, clientId);
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
