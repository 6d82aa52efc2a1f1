package io.sseservice.test;

import static java.util.Objects.requireNonNull;

import io.sseservice.ConnectOptions;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Several nodes of one cluster in one test, each an {@link SseService}, with in-memory
 * connections: what the cluster compatibility kits build on, and a way to test an application's
 * own multi-node behaviour.
 *
 * <pre>{@code
 * try (ClusterNodes nodes = new ClusterNodes(InMemoryCluster.create().fixture())) {
 *   nodes.start("a");
 *   nodes.start("b");
 *   InMemoryTransport phone = nodes.connect("a", "u1", null);
 *   nodes.service("b").sendToClient("u1", "hi");
 *   await().until(() -> phone.data().contains("hi"));
 * }
 * }</pre>
 *
 * <p>Thread-safety: not thread-safe; use it from the test thread.
 */
public final class ClusterNodes implements AutoCloseable {

  private final ClusterFixture fixture;
  private final UnaryOperator<SseService.Builder> configure;
  private final Map<String, SseService> services = new LinkedHashMap<>();
  private final Map<InMemoryTransport, SseConnection> connections = new LinkedHashMap<>();
  private final List<RecordingListener> listeners = new ArrayList<>();

  /** Nodes of {@code fixture}'s cluster with keep-alive off and nothing else changed. */
  public ClusterNodes(ClusterFixture fixture) {
    this(fixture, UnaryOperator.identity());
  }

  /** Nodes of {@code fixture}'s cluster, each builder first adjusted by {@code configure}. */
  public ClusterNodes(ClusterFixture fixture, UnaryOperator<SseService.Builder> configure) {
    this.fixture = requireNonNull(fixture, "fixture");
    this.configure = requireNonNull(configure, "configure");
  }

  /** Starts nodes {@code nodeIds}, in order; returns these nodes. */
  public ClusterNodes startAll(String... nodeIds) {
    for (String nodeId : nodeIds) {
      start(nodeId);
    }
    return this;
  }

  /** Waits, up to 10 seconds, for what travels through a cluster (deliveries, directory changes). */
  public static org.awaitility.core.ConditionFactory eventually() {
    return org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5));
  }

  /** Starts node {@code nodeId}; its {@link RecordingListener} is {@link #listener}. */
  public SseService start(String nodeId) {
    RecordingListener listener = new RecordingListener();
    SseService.Builder builder =
        configure.apply(
            SseService.builder()
                .keepAliveInterval(Duration.ZERO)
                .listener(listener)
                .presenceListener(listener));
    SseService service = fixture.join(builder, nodeId).build();
    services.put(nodeId, service);
    listeners.add(listener);
    return service;
  }

  /** Returns node {@code nodeId}'s service. */
  public SseService service(String nodeId) {
    SseService service = services.get(nodeId);
    if (service == null) {
      throw new IllegalArgumentException(
          "nodeId: " + nodeId + " (expected: one of " + services.keySet() + ")");
    }
    return service;
  }

  /** Returns node {@code nodeId}'s recording listener (connections and presence). */
  public RecordingListener listener(String nodeId) {
    return listeners.get(List.copyOf(services.keySet()).indexOf(nodeId));
  }

  /** Connects a new device of {@code clientId} in {@code group} (null: default) to a node. */
  public InMemoryTransport connect(String nodeId, String clientId, @Nullable String group) {
    return connect(nodeId, ConnectOptions.builder().clientId(clientId).group(group).build());
  }

  /** Connects a new in-memory connection with {@code options} to node {@code nodeId}. */
  public InMemoryTransport connect(String nodeId, ConnectOptions options) {
    InMemoryTransport transport = new InMemoryTransport();
    connections.put(transport, service(nodeId).connect(transport, options));
    return transport;
  }

  /** Returns the connection over {@code transport}. */
  public SseConnection connection(InMemoryTransport transport) {
    return requireNonNull(connections.get(transport), "not a connection of these nodes");
  }

  /** Returns the fixture the nodes joined. */
  public ClusterFixture fixture() {
    return fixture;
  }

  /** Closes node {@code nodeId} (it leaves the cluster). */
  public void stop(String nodeId) {
    service(nodeId).close();
  }

  /** Closes every node, then the fixture. */
  @Override
  public void close() {
    services.values().forEach(SseService::close);
    fixture.close();
  }
}
