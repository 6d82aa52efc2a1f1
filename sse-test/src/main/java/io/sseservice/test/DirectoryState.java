package io.sseservice.test;

import io.sseservice.ClientInfo;
import io.sseservice.ConnectionInfo;
import io.sseservice.PresenceEvent;
import io.sseservice.spi.DirectoryNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link InMemoryCluster}'s directory knows, shared by every node: each client's
 * connections on every node and its metadata, and each node's last heartbeat. Presence and
 * metadata changes are told to every live node on its delivery thread, once per change. A node
 * whose heartbeat is older than the TTL is dropped, with its connections, by the next heartbeat of
 * any other node (or {@link InMemoryCluster#expireSilentNodes()}).
 *
 * <p>Thread-safety: guarded by {@code this}; notifications run after the monitor is released.
 */
final class DirectoryState {

  private record Key(String group, String clientId) {}

  private static final class Entry {
    Map<String, Object> metadata = Map.of();
    final Map<String, ConnectionInfo> connections = new LinkedHashMap<>();
  }

  private final InMemoryCluster cluster;
  private final Map<Key, Entry> clients = new LinkedHashMap<>();
  private final Map<String, DirectoryNode> nodes = new LinkedHashMap<>();
  private final Map<String, ScheduledFuture<?>> heartbeats = new ConcurrentHashMap<>();

  DirectoryState(InMemoryCluster cluster) {
    this.cluster = cluster;
  }

  void join(DirectoryNode node) {
    synchronized (this) {
      nodes.put(node.nodeId(), node);
      cluster.member(node.nodeId()).lastHeartbeat = cluster.ticker().nanoTime();
    }
    long period = Math.max(1, cluster.ttl().toMillis() / 3);
    try {
      heartbeats.put(
          node.nodeId(),
          node.scheduler()
              .scheduleAtFixedRate(
                  () -> heartbeat(node.nodeId()), period, period, TimeUnit.MILLISECONDS));
    } catch (RejectedExecutionException e) {
      // the node's scheduler is gone: it is closing
    }
  }

  void heartbeat(String nodeId) {
    InMemoryCluster.Member member = cluster.member(nodeId);
    if (!member.crashed) {
      member.lastHeartbeat = cluster.ticker().nanoTime();
      expire();
    }
  }

  /** Drops the nodes whose heartbeat is older than the TTL, with their connections. */
  void expire() {
    long now = cluster.ticker().nanoTime();
    List<String> dead = new ArrayList<>();
    synchronized (this) {
      for (String nodeId : nodes.keySet()) {
        if (now - cluster.member(nodeId).lastHeartbeat > cluster.ttl().toNanos()) {
          dead.add(nodeId);
        }
      }
    }
    dead.forEach(this::leave);
  }

  /** The node left (or died): its connections go, and clients left with none go offline. */
  void leave(String nodeId) {
    ScheduledFuture<?> beat = heartbeats.remove(nodeId);
    if (beat != null) {
      beat.cancel(false);
    }
    List<Runnable> notices = new ArrayList<>();
    synchronized (this) {
      if (nodes.remove(nodeId) == null) {
        return;
      }
      clients
          .entrySet()
          .removeIf(
              e -> {
                e.getValue().connections.values().removeIf(c -> c.nodeId().equals(nodeId));
                if (e.getValue().connections.isEmpty()) {
                  presence(notices, PresenceEvent.Kind.OFFLINE, e.getKey());
                  return true;
                }
                return false;
              });
    }
    notices.forEach(Runnable::run);
  }

  void opened(ConnectionInfo c, @Nullable Map<String, Object> metadata) {
    List<Runnable> notices = new ArrayList<>();
    synchronized (this) {
      if (!nodes.containsKey(c.nodeId()) || cluster.member(c.nodeId()).crashed) {
        return;
      }
      Key key = new Key(c.group(), c.clientId());
      Entry entry = clients.computeIfAbsent(key, k -> new Entry());
      boolean first = entry.connections.isEmpty();
      entry.connections.put(c.id(), c);
      if (metadata != null) {
        entry.metadata = merged(entry.metadata, metadata);
        metadataChanged(notices, key, entry.metadata);
      }
      if (first) {
        presence(notices, PresenceEvent.Kind.ONLINE, key);
      }
    }
    notices.forEach(Runnable::run);
  }

  void closed(ConnectionInfo c) {
    List<Runnable> notices = new ArrayList<>();
    synchronized (this) {
      if (cluster.member(c.nodeId()).crashed) {
        return;
      }
      Key key = new Key(c.group(), c.clientId());
      Entry entry = clients.get(key);
      if (entry == null || entry.connections.remove(c.id()) == null) {
        return;
      }
      if (entry.connections.isEmpty()) {
        clients.remove(key);
        presence(notices, PresenceEvent.Kind.OFFLINE, key);
      }
    }
    notices.forEach(Runnable::run);
  }

  /** Replaces the client's metadata, or with {@code merge} merges {@code metadata} into it. */
  Optional<ClientInfo> setMetadata(
      String group, String clientId, Map<String, Object> metadata, boolean merge) {
    List<Runnable> notices = new ArrayList<>();
    Optional<ClientInfo> info;
    synchronized (this) {
      Key key = new Key(group, clientId);
      Entry entry = clients.get(key);
      if (entry == null) {
        return Optional.empty();
      }
      entry.metadata = merged(merge ? entry.metadata : Map.of(), metadata);
      metadataChanged(notices, key, entry.metadata);
      info = Optional.of(info(key, entry));
    }
    notices.forEach(Runnable::run);
    return info;
  }

  synchronized Optional<ClientInfo> client(String group, String clientId) {
    Key key = new Key(group, clientId);
    Entry entry = clients.get(key);
    return entry == null ? Optional.empty() : Optional.of(info(key, entry));
  }

  synchronized List<ClientInfo> clients(String group) {
    List<ClientInfo> found = new ArrayList<>();
    clients.forEach(
        (key, entry) -> {
          if (key.group().equals(group)) {
            found.add(info(key, entry));
          }
        });
    return List.copyOf(found);
  }

  synchronized Set<String> groups() {
    Set<String> groups = new LinkedHashSet<>();
    clients.keySet().forEach(k -> groups.add(k.group()));
    return Set.copyOf(groups);
  }

  private static ClientInfo info(Key key, Entry entry) {
    return new ClientInfo(
        key.clientId(), key.group(), entry.metadata, List.copyOf(entry.connections.values()));
  }

  private void presence(List<Runnable> notices, PresenceEvent.Kind kind, Key key) {
    PresenceEvent event = new PresenceEvent(kind, key.group(), key.clientId());
    tellEveryNode(notices, node -> node.onPresence(event));
  }

  /** What the directory contract says a merge is: keys replace, null values remove. */
  private static Map<String, Object> merged(Map<String, Object> base, Map<String, Object> changes) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    changes.forEach(
        (k, v) -> {
          if (v == null) {
            merged.remove(k);
          } else {
            merged.put(k, v);
          }
        });
    return Collections.unmodifiableMap(merged);
  }

  private void metadataChanged(List<Runnable> notices, Key key, Map<String, Object> metadata) {
    tellEveryNode(notices, node -> node.onMetadata(key.group(), key.clientId(), metadata));
  }

  /** Queues {@code call} for every live node, on its delivery thread, in the order of changes. */
  private void tellEveryNode(List<Runnable> notices, Consumer<DirectoryNode> call) {
    for (DirectoryNode node : nodes.values()) {
      InMemoryCluster.Member member = cluster.member(node.nodeId());
      if (!member.crashed) {
        notices.add(() -> member.feed.execute(() -> call.accept(node)));
      }
    }
  }
}
