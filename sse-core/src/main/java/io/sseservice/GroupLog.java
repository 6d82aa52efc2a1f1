package io.sseservice;

import io.sseservice.internal.ReplayFrames;
import io.sseservice.spi.Recorded;
import io.sseservice.spi.Replay;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One group's events in {@link InMemoryEventHistory}, oldest first, and the group's newest id,
 * which it keeps after the events themselves expired or were evicted: a client that saw the last
 * event and reconnects after a long quiet spell missed nothing, and must not get a reset. All state
 * is guarded by {@code this}; the bytes it holds are also added to the history's total.
 */
final class GroupLog {

  /** What a log costs besides its frames (the object, its maps, the newest id): for the budget. */
  static final int OVERHEAD_BYTES = 256;

  /** What one entry costs besides its frame: for the budget. */
  static final int ENTRY_OVERHEAD_BYTES = 100;

  private record Entry(
      long seq,
      String id,
      @Nullable String clientId,
      byte[] frame,
      @Nullable String key,
      long atNanos) {

    /** What the entry costs the history's budget: its frame, its key's chars, the rest. */
    long cost() {
      return frame.length + (key == null ? 0 : 2L * key.length()) + ENTRY_OVERHEAD_BYTES;
    }
  }

  private final String epoch;
  private final AtomicLong totalBytes;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private final Map<String, Entry> byId = new HashMap<>();
  private long nextSeq = 1;

  /** The frames' bytes (the per-group bound); the total also counts the overheads. */
  private long bytes;

  private @Nullable String newestId;

  /** The client the newest event was sent to (null: the whole group). */
  private @Nullable String newestClientId;

  /** The newest id of an event sent to the whole group: what a reset tells other clients. */
  private @Nullable String newestGroupId;

  /**
   * The id of the newest event dropped (by a bound, age or the budget), and whom it went to: the
   * event right before the oldest one held, so a client that saw it missed only what is held.
   */
  private @Nullable String droppedId;

  private @Nullable String droppedClientId;

  /** The ticker's reading when this log last took an event: the oldest log goes first. */
  private long lastAppend;

  GroupLog(String epoch, AtomicLong totalBytes) {
    this.epoch = epoch;
    this.totalBytes = totalBytes;
    totalBytes.addAndGet(OVERHEAD_BYTES);
  }

  /**
   * Appends the event, then keeps at most {@code maxEvents} and {@code maxBytes} of frames (at
   * least this event, however large) and nothing dated before {@code oldest}: one lock and one
   * update of the history's total.
   */
  synchronized Recorded append(
      @Nullable String clientId,
      SseEvent event,
      Function<SseEvent, byte[]> encoder,
      long now,
      int maxEvents,
      long maxBytes,
      long oldest) {
    long seq = nextSeq++;
    SseEvent withId =
        event.id().isPresent() ? event : event.toBuilder().id(epoch + "-" + seq).build();
    byte[] frame = encoder.apply(withId);
    Entry entry =
        new Entry(
            seq, withId.id().orElseThrow(), clientId, frame, withId.conflationKeyOrNull(), now);
    entries.addLast(entry);
    byId.put(entry.id(), entry);
    newestId = entry.id();
    newestClientId = clientId;
    if (clientId == null) {
      newestGroupId = entry.id();
    }
    bytes += frame.length;
    long delta = entry.cost() + trim(maxEvents, maxBytes, oldest);
    totalBytes.addAndGet(delta);
    lastAppend = now;
    return new Recorded(seq, frame);
  }

  /**
   * Returns what client {@code clientId} missed after {@code lastEventId}. Ids a sender gave may
   * repeat within a group (each client's own counter, say), so the id is looked up only among the
   * events this client could have received: the group's and its own. When even those repeat it,
   * the replay starts after the oldest of them that is still held: events may come twice, none
   * is skipped. The newest dropped event counts as held for this: a client that saw it missed
   * nothing that is gone. Keyed events are conflated ({@link ReplayFrames}): the limit counts
   * what is replayed.
   */
  synchronized Replay replay(String clientId, String lastEventId, int limit) {
    long through = nextSeq - 1;
    boolean newestIsVisible = visible(newestClientId, clientId);
    Replay found = null;
    if (lastEventId.equals(droppedId) && visible(droppedClientId, clientId)) {
      found = missedAfter(null, clientId, limit, newestIsVisible, through);
    } else if (byId.containsKey(lastEventId)) {
      found = missedAfter(lastEventId, clientId, limit, newestIsVisible, through);
    }
    if (found != null) {
      return found;
    }
    if (newestIsVisible && lastEventId.equals(newestId)) {
      return Replay.of(List.of(), through); // up to date, even if its events have expired
    }
    return reset(newestIsVisible, through);
  }

  /**
   * Returns the events {@code clientId} may receive after the first of them with id
   * {@code anchorId} (null: all of them), a reset if more than {@code limit}, or null if the
   * anchor is not among them.
   */
  private @Nullable Replay missedAfter(
      @Nullable String anchorId,
      String clientId,
      int limit,
      boolean newestIsVisible,
      long through) {
    ReplayFrames missed = anchorId == null ? new ReplayFrames() : null;
    for (Entry e : entries) {
      if (!visible(e.clientId(), clientId)) {
        continue; // another client's: neither the anchor nor missed
      }
      if (missed != null) {
        missed.add(e.frame(), e.key());
        if (missed.size() > limit) {
          return reset(newestIsVisible, through); // more than one reconnect may replay
        }
      } else if (e.id().equals(anchorId)) {
        missed = new ReplayFrames();
      }
    }
    return missed == null ? null : Replay.of(missed.frames(), through);
  }

  private static boolean visible(@Nullable String sentTo, String clientId) {
    return sentTo == null || sentTo.equals(clientId);
  }

  /**
   * A reset names the newest id this client may know: another client's private id would make
   * its next reconnect a reset again.
   */
  private Replay reset(boolean newestIsVisible, long through) {
    return Replay.reset(newestIsVisible ? newestId : newestGroupId, through);
  }

  /**
   * Keeps at most {@code maxEvents} and {@code maxBytes} of frames (but never less than the
   * newest event, however large), and nothing dated before {@code oldest}; the newest id stays
   * known. {@code maxEvents} 0 drops every event.
   */
  synchronized void evict(int maxEvents, long maxBytes, long oldest) {
    totalBytes.addAndGet(trim(maxEvents, maxBytes, oldest));
  }

  /** Drops what is over the bounds; returns the (negative) change of the history's total. */
  private long trim(int maxEvents, long maxBytes, long oldest) {
    long freed = 0;
    while (!entries.isEmpty()
        && (entries.size() > maxEvents
            || (bytes > maxBytes && entries.size() > 1)
            || entries.peekFirst().atNanos() - oldest < 0)) {
      freed += removeOldest();
    }
    return -freed;
  }

  /** Drops every event (the history's total budget needs the room); the newest id stays known. */
  synchronized void clear() {
    long freed = 0;
    while (!entries.isEmpty()) {
      freed += removeOldest();
    }
    totalBytes.addAndGet(-freed);
  }

  /** Gives this log's bytes back to the history's total; called once, when it is dropped. */
  synchronized void release() {
    clear();
    totalBytes.addAndGet(-OVERHEAD_BYTES);
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized boolean isEmpty() {
    return entries.isEmpty();
  }

  synchronized long lastAppend() {
    return lastAppend;
  }

  /** Removes the oldest entry; returns what it cost the history's total. */
  private long removeOldest() {
    Entry e = entries.removeFirst();
    byId.remove(e.id(), e);
    droppedId = e.id();
    droppedClientId = e.clientId();
    bytes -= e.frame().length;
    return e.cost();
  }
}
