package io.sseservice.spi;

import io.sseservice.ClientInfo;
import io.sseservice.ConnectionInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Knows which clients are connected anywhere in a cluster, with their connections and metadata,
 * and tells of presence transitions. The service feeds it its own registry's changes, in the order
 * they happened ({@link #connectionOpened}, {@link #connectionClosed}); a cluster directory
 * shares them (e.g. in Redis, kept alive by node heartbeats with a TTL, so that the connections of
 * a node that died disappear within a stated bound) and answers the cluster-wide queries of
 * {@code SseService.directory()}. Without one, the service answers those queries from its own
 * registry.
 *
 * <p>Presence: the directory calls {@link DirectoryNode#onPresence} on every node once for each
 * cluster-wide transition: a client's first connection anywhere (online), its last one gone
 * everywhere, including with a dead node (offline).
 *
 * <p>Nothing here may block: the notifications return at once, and queries complete their stage
 * when the answer comes.
 *
 * <p>Thread-safety: implementations must be thread-safe. The service calls
 * {@link #connectionOpened} and {@link #connectionClosed} one at a time, in registry order.
 */
public interface ClientDirectory extends AutoCloseable {

  /** Joins the cluster as {@code node}; called once, before any other method. */
  void start(DirectoryNode node);

  /**
   * A connection of this node opened, with its own metadata ({@link ConnectionInfo#metadata()}).
   * {@code clientMetadata}, when not null, is merged into its client's metadata as
   * {@link #mergeClientMetadata} does (the connect carried client metadata); otherwise the client
   * keeps what it has, or starts with none.
   */
  void connectionOpened(ConnectionInfo connection, @Nullable Map<String, Object> clientMetadata);

  /** A connection of this node ended. */
  void connectionClosed(ConnectionInfo connection);

  /**
   * Replaces the metadata of client {@code clientId} in {@code group}, cluster-wide, and tells
   * every node ({@link DirectoryNode#onMetadata}).
   *
   * @return the client as it is now, or empty if it has no connection anywhere (then nothing is
   *     stored: metadata lives as long as the client has a connection)
   */
  CompletionStage<Optional<ClientInfo>> setClientMetadata(
      String group, String clientId, Map<String, Object> metadata);

  /**
   * Merges {@code changes} into the metadata of client {@code clientId} in {@code group},
   * cluster-wide and atomically (two merges of different keys both take effect): each key
   * replaces that key's value, a null value removes the key, the other keys stay. Tells every
   * node the whole new metadata ({@link DirectoryNode#onMetadata}).
   *
   * @return the client as it is now, or empty if it has no connection anywhere
   */
  CompletionStage<Optional<ClientInfo>> mergeClientMetadata(
      String group, String clientId, Map<String, @Nullable Object> changes);

  /** Returns client {@code clientId} of {@code group}, if it has a connection anywhere. */
  CompletionStage<Optional<ClientInfo>> client(String group, String clientId);

  /** Returns the clients of {@code group} with a connection anywhere; empty if none. */
  CompletionStage<List<ClientInfo>> clients(String group);

  /** Returns the groups with at least one client anywhere. */
  CompletionStage<Set<String>> groups();

  /** Leaves the cluster: this node's connections are gone from the directory. */
  @Override
  void close();
}
