package io.sseservice;

import io.sseservice.spi.Replay;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One group's events in {@link InMemoryEventHistory}, oldest first. All state is guarded by
 * {@code this}: appends and replays already come in order under the service's send lock of the
 * group, but eviction runs on the service's ticker.
 */
final class GroupLog {

  /** Bounds eviction, given the log and the current time. */
  interface Evictor {
    void evict(GroupLog log, long now);
  }

  private record Entry(long seq, String id, @Nullable String clientId, byte[] frame, long atMillis) {}

  private final String epoch;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private final Map<String, Entry> byId = new HashMap<>();
  private long nextSeq = 1;
  private long bytes;

  GroupLog(String epoch) {
    this.epoch = epoch;
  }

  synchronized byte[] append(@Nullable String clientId, SseEvent event,
      Function<SseEvent, byte[]> encoder, long now, Evictor evictor) {
    long seq = nextSeq++;
    SseEvent withId = event.id().isPresent() ? event : event.toBuilder().id(epoch + "-" + seq).build();
    byte[] frame = encoder.apply(withId);
    Entry entry = new Entry(seq, withId.id().orElseThrow(), clientId, frame, now);
    entries.addLast(entry);
    byId.put(entry.id(), entry);
    bytes += frame.length;
    evictor.evict(this, now);
    return frame;
  }

  synchronized Replay replay(String clientId, String lastEventId, long now, Evictor evictor) {
    evictor.evict(this, now);
    Entry last = byId.get(lastEventId);
    if (last == null) {
      return Replay.reset(entries.isEmpty() ? null : entries.peekLast().id());
    }
    List<byte[]> missed = new ArrayList<>();
    for (Entry e : entries) {
      if (e.seq() > last.seq() && (e.clientId() == null || e.clientId().equals(clientId))) {
        missed.add(e.frame());
      }
    }
    return Replay.of(missed);
  }

  /** Keeps at most {@code maxEvents} and {@code maxBytes}, and nothing dated before {@code oldest}. */
  synchronized void evict(int maxEvents, long maxBytes, long oldest) {
    while (!entries.isEmpty() && (entries.size() > maxEvents || bytes > maxBytes
        || entries.peekFirst().atMillis() < oldest)) {
      removeOldest();
    }
  }

  /** Evicts by age only; returns whether the log is now empty. */
  synchronized boolean evictOlderThan(long oldest) {
    while (!entries.isEmpty() && entries.peekFirst().atMillis() < oldest) {
      removeOldest();
    }
    return entries.isEmpty();
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized long bytes() {
    return bytes;
  }

  private void removeOldest() {
    Entry e = entries.removeFirst();
    bytes -= e.frame().length;
    byId.remove(e.id(), e);
  }
}
