package io.sseservice.spi;

import static java.util.Objects.requireNonNull;

import io.sseservice.SseEvent;
import org.jspecify.annotations.Nullable;

/**
 * One event in a group's cluster-wide log, as a {@link Backplane} delivers it to every node: its
 * position ({@code epoch} and {@code seq}) and what to write.
 *
 * <p>Thread-safety: immutable.
 *
 * @param group the group the event was sent to
 * @param epoch identifies one life of the group's log: it changes when the log was lost (a store
 *     that lost its data), so that positions of different lives are never compared
 * @param seq the position in the log: one more than the previous event's, within an epoch
 * @param clientId the client the event is for, or null for every connection of the group
 * @param event the event, with its final id (the one clients send back as Last-Event-ID)
 */
public record GroupEvent(
    String group, String epoch, long seq, @Nullable String clientId, SseEvent event) {

  /** Checks the values. */
  public GroupEvent {
    requireNonNull(group, "group");
    requireNonNull(epoch, "epoch");
    requireNonNull(event, "event");
    if (event.id().isEmpty()) {
      throw new IllegalArgumentException(
          "event: no id (expected: the id the backplane assigned" + " or the sender gave)");
    }
  }
}
