package io.sseservice;

import static java.util.Objects.requireNonNull;

import io.sseservice.spi.ClientDirectory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The seed's client queries, answered for the whole cluster: with a cluster
 * {@link ClientDirectory} configured, every client connected to any node, with its connections on
 * every node; without one, this service's own clients. Answers are snapshots
 * ({@link ClientInfo}), and asynchronous, because a cluster directory answers over the network;
 * {@link SseService#client} and {@link SseService#clients} stay this node's live, synchronous
 * view.
 *
 * <pre>{@code
 * Optional<ClientInfo> alice = service.directory().client("alice").join();
 * service.directory().clients("room-7").thenAccept(members -> ...);
 * }</pre>
 *
 * <p>A null group means the service's default group. A client id or group holding a control
 * character (see {@link ConnectOptions.Builder#clientId}) is refused with an
 * {@link IllegalArgumentException} naming it.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class SseDirectory {

  private final ClientDirectory directory;
  private final String defaultGroup;
  private final boolean clustered;

  SseDirectory(ClientDirectory directory, String defaultGroup, boolean clustered) {
    this.directory = directory;
    this.defaultGroup = defaultGroup;
    this.clustered = clustered;
  }

  /** Returns whether the answers cover a cluster (a cluster directory is configured). */
  public boolean isClustered() {
    return clustered;
  }

  /** Returns client {@code clientId} of the default group, if connected anywhere. */
  public CompletableFuture<Optional<ClientInfo>> client(String clientId) {
    return client(clientId, null);
  }

  /** Returns client {@code clientId} of {@code group}, if it has a connection anywhere. */
  public CompletableFuture<Optional<ClientInfo>> client(String clientId, @Nullable String group) {
    return future(directory.client(group(group), clientId(clientId)));
  }

  /** Returns the clients of the default group, on every node. */
  public CompletableFuture<List<ClientInfo>> clients() {
    return clients(null);
  }

  /** Returns the clients of {@code group} on every node; empty, never null, if none. */
  public CompletableFuture<List<ClientInfo>> clients(@Nullable String group) {
    return future(directory.clients(group(group)));
  }

  /** Returns the groups that have a client on some node. */
  public CompletableFuture<Set<String>> groups() {
    return future(directory.groups());
  }

  /**
   * Replaces the metadata of client {@code clientId} in {@code group} on every node (the seed's
   * {@code setClientMetadata}, cluster-wide): each node's live {@link SseClient} follows.
   *
   * @return the client as it is now, or empty if it has no connection anywhere
   */
  public CompletableFuture<Optional<ClientInfo>> setClientMetadata(
      String clientId, Map<String, ?> metadata, @Nullable String group) {
    clientId(clientId);
    Map<String, Object> copy = Metadata.copy(Names.checkKeys(requireNonNull(metadata, "metadata")));
    return future(directory.setClientMetadata(group(group), clientId, copy));
  }

  /**
   * Merges {@code changes} into the metadata of client {@code clientId} in {@code group} on every
   * node: each key replaces that key's value, a null value removes the key, the client's other
   * keys stay. Two merges of different keys, from any nodes, both take effect.
   *
   * @return the client as it is now, or empty if it has no connection anywhere
   */
  public CompletableFuture<Optional<ClientInfo>> mergeClientMetadata(
      String clientId, Map<String, ?> changes, @Nullable String group) {
    clientId(clientId);
    Map<String, Object> copy = Metadata.copy(Names.checkKeys(requireNonNull(changes, "changes")));
    return future(directory.mergeClientMetadata(group(group), clientId, copy));
  }

  private String group(@Nullable String group) {
    return group == null ? defaultGroup : Names.check(group, "group");
  }

  private static String clientId(String clientId) {
    return Names.check(requireNonNull(clientId, "clientId"), "clientId");
  }

  private static <T> CompletableFuture<T> future(CompletionStage<T> stage) {
    CompletableFuture<T> future = new CompletableFuture<>();
    stage.whenComplete(
        (value, failure) -> {
          if (failure != null) {
            future.completeExceptionally(failure);
          } else {
            future.complete(value);
          }
        });
    return future;
  }
}
