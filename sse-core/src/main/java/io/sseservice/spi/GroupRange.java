package io.sseservice.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Backplane#read} found in a group's log after a position: the events, oldest first,
 * or the news that the events right after it are gone (trimmed, or the store lost them).
 *
 * <p>Thread-safety: immutable.
 *
 * @param epoch the log's current epoch; if it differs from the one asked about, the log was lost
 *     and every position of the old epoch is gone; empty when the group has no log at all (its
 *     next event starts a new one)
 * @param events the events after the position asked about, contiguous and oldest first (empty
 *     when none); empty when {@code gone}
 * @param newestSeq the newest position of the log when it was read (0 if it is empty)
 * @param newestId the id of the newest event, if the log has any
 * @param gone whether the event right after the position asked about is no longer held
 */
public record GroupRange(
    String epoch,
    List<GroupEvent> events,
    long newestSeq,
    @Nullable String newestId,
    boolean gone) {

  /** Copies the list. */
  public GroupRange {
    requireNonNull(epoch, "epoch");
    events = List.copyOf(events);
  }
}
