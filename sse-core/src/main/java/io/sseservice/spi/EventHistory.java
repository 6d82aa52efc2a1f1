package io.sseservice.spi;

import io.sseservice.SseEvent;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Keeps recent events per group so that a client reconnecting with {@code Last-Event-ID} gets
 * what it missed. The service calls {@link #append} for every event sent to a group or to a client
 * (never for events sent to one connection), and {@link #replay} when a connection arrives with a
 * last event id. {@code InMemoryEventHistory} in the core is bounded by count, bytes and age.
 *
 * <p>Thread-safety: implementations must be thread-safe. For one group, the service calls
 * {@code append} and {@code replay} under that group's send lock, so they see one order per group:
 * the order in which the group's connections receive the events. Calls for different groups run
 * in parallel.
 */
public interface EventHistory {

  /**
   * Records {@code event}, sent to every connection of {@code group} ({@code clientId} null) or to
   * those of one client, and returns the bytes to deliver. If the event has no id, the history
   * assigns one that increases with every append to the group; an id the sender gave is kept and
   * replay finds it too.
   *
   * @param encoder turns the event (with its final id) into its wire bytes; store and return them
   */
  byte[] append(String group, @Nullable String clientId, SseEvent event,
      Function<SseEvent, byte[]> encoder);

  /**
   * Returns the frames that a connection of {@code clientId} in {@code group} missed after the
   * event {@code lastEventId}, oldest first: the group's events and this client's, nothing else.
   * Returns {@link Replay#reset} when that id is unknown or no longer held.
   */
  Replay replay(String group, String clientId, String lastEventId);

  /** Drops whatever has outlived the history's bounds; the service calls it periodically. */
  default void evictExpired() {}
}
