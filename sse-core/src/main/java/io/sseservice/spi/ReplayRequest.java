package io.sseservice.spi;

import static java.util.Objects.requireNonNull;

import io.sseservice.SseEvent;
import java.util.function.Function;

/**
 * What a reconnecting connection asks of an {@link EventHistory}: the events of {@code group}
 * (and of its own client) after {@code lastEventId}, at most {@code limit} of them.
 *
 * <p>Thread-safety: immutable.
 *
 * @param group the connection's group
 * @param clientId the connection's client: events sent to other clients are left out
 * @param lastEventId the id the client sent back, as it sent it
 * @param limit the most events to replay, counted after conflation (of the missed events with
 *     one {@linkplain SseEvent#conflationKey() conflation key}, only the newest is replayed): if
 *     more were missed, the history answers a reset
 * @param encoder turns a stored event (with its id) into its wire bytes, for histories that
 *     store events rather than frames
 */
public record ReplayRequest(
    String group,
    String clientId,
    String lastEventId,
    int limit,
    Function<SseEvent, byte[]> encoder) {

  /** Checks the values. */
  public ReplayRequest {
    requireNonNull(group, "group");
    requireNonNull(clientId, "clientId");
    requireNonNull(lastEventId, "lastEventId");
    requireNonNull(encoder, "encoder");
    if (limit <= 0) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
    }
  }
}
