package io.sseservice.spi;

import io.sseservice.SseEvent;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Keeps recent events per group so that a client reconnecting with {@code Last-Event-ID} gets
 * what it missed. {@code InMemoryEventHistory} in the core is bounded by count, bytes and age; a
 * cluster's {@link Backplane} brings a history over its shared log ({@link Backplane#history()}),
 * so that a client may reconnect to any node.
 *
 * <p>Without a backplane the service calls {@link #append} for every event sent to a group or to
 * a client (never for events sent to one connection), holding that group's lock (and no other
 * group's), so that appends and deliveries of one group happen in one order. With a backplane,
 * the backplane records each event as it publishes it, and the service only calls
 * {@link #replay}.
 *
 * <p>{@link #replay} is asynchronous: a history whose store is remote answers later, and the
 * connection's live events wait behind the replay meanwhile. A failed or overlong replay turns
 * into a reset event for that connection; nothing else is affected.
 *
 * <p>Thread-safety: implementations must be thread-safe. Calls for different groups run in
 * parallel.
 */
public interface EventHistory {

  /**
   * Records {@code event}, sent to every connection of {@code group} ({@code clientId} null) or to
   * those of one client, and returns its position and the bytes to deliver. If the event has no
   * id, the history assigns one that identifies its position; an id the sender gave is kept and
   * replay finds it too. Runs under the group's lock: it must be quick and must not block.
   *
   * @param encoder turns the event (with its final id) into its wire bytes; store and return them
   * @throws RuntimeException if it cannot record the event; the send fails with it and nothing is
   *     delivered
   */
  Recorded append(
      String group, @Nullable String clientId, SseEvent event, Function<SseEvent, byte[]> encoder);

  /**
   * Returns, now or later, the frames that a connection of {@code request.clientId()} in
   * {@code request.group()} missed after the event {@code request.lastEventId()}, oldest first:
   * the group's events and this client's, nothing else; or {@link Replay#reset} when that id is
   * unknown or no longer held, or when more than {@code request.limit()} events were missed. Of
   * the missed events that carry the same {@linkplain SseEvent#conflationKey() conflation key},
   * only the newest is replayed, in its place in the order (so a history must keep each event's
   * key). Must not block: a remote store completes the stage when its answer comes.
   */
  CompletionStage<Replay> replay(ReplayRequest request);

  /** Drops whatever has outlived the history's bounds; the service calls it periodically. */
  default void evictExpired() {}

  /** Returns the encoded bytes this history holds in this process's memory (0 if none). */
  default long bytes() {
    return 0;
  }
}
