package io.sseservice.test;

import io.sseservice.SseEvent;
import io.sseservice.spi.GroupEvent;
import io.sseservice.spi.GroupRange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One group's log in an {@link InMemoryCluster}: what a Redis stream is to {@code sse-redis}.
 * Positions grow by one per event; the oldest events go beyond {@code maxEvents}; the epoch
 * changes when the cluster "loses its data".
 *
 * <p>Thread-safety: guarded by {@code this}.
 */
final class ClusterLog {

  private final String group;
  private final int maxEvents;
  private String epoch;
  private long seq;
  private @Nullable String lastId;
  private @Nullable String lastClientId;
  private @Nullable String lastGroupId;

  /** The newest event dropped (trimmed), right before the oldest held; null if none. */
  private @Nullable GroupEvent dropped;

  private final ArrayDeque<GroupEvent> events = new ArrayDeque<>();

  ClusterLog(String group, String epoch, int maxEvents) {
    this.group = group;
    this.epoch = epoch;
    this.maxEvents = maxEvents;
  }

  /** Appends an event, giving it the next position and, unless it has one, an id. */
  synchronized GroupEvent append(@Nullable String clientId, SseEvent event) {
    long next = ++seq;
    SseEvent withId =
        event.id().isPresent() ? event : event.toBuilder().id(epoch + "-" + next).build();
    GroupEvent recorded = new GroupEvent(group, epoch, next, clientId, withId);
    events.addLast(recorded);
    lastId = withId.id().orElseThrow();
    lastClientId = clientId;
    if (clientId == null) {
      lastGroupId = lastId;
    }
    while (events.size() > maxEvents) {
      dropped = events.removeFirst();
    }
    return recorded;
  }

  synchronized GroupRange read(String askedEpoch, long after, int limit) {
    String newestId = newestId();
    if (!askedEpoch.equals(epoch) || after < firstHeld() - 1 || after > seq) {
      return new GroupRange(epoch, List.of(), seq, newestId, true);
    }
    List<GroupEvent> found = new ArrayList<>();
    for (GroupEvent e : events) {
      if (e.seq() > after && found.size() < limit) {
        found.add(e);
      }
    }
    return new GroupRange(epoch, found, seq, newestId, false);
  }

  /**
   * Returns the events after the one with id {@code lastEventId} that client {@code clientId}
   * could have received (the group's, its own: given ids may repeat across clients; the oldest
   * such match when they repeat even there), or null if it is not held. The newest dropped event
   * counts as held: a client that saw it missed nothing that is gone.
   */
  synchronized @Nullable List<GroupEvent> after(String clientId, String lastEventId) {
    if (dropped != null
        && visibleTo(dropped.clientId(), clientId)
        && dropped.event().id().orElseThrow().equals(lastEventId)) {
      return List.copyOf(events);
    }
    long lastSeq = -1;
    for (GroupEvent e : events) {
      if (visibleTo(e.clientId(), clientId) && e.event().id().orElseThrow().equals(lastEventId)) {
        lastSeq = e.seq();
        break;
      }
    }
    if (lastSeq < 0) {
      return visibleTo(lastClientId, clientId) && lastEventId.equals(lastId) ? List.of() : null;
    }
    List<GroupEvent> found = new ArrayList<>();
    for (GroupEvent e : events) {
      if (e.seq() > lastSeq) {
        found.add(e);
      }
    }
    return found;
  }

  /** Returns the newest id client {@code clientId} could have received: what a reset names. */
  synchronized @Nullable String newestIdFor(String clientId) {
    return visibleTo(lastClientId, clientId) ? lastId : lastGroupId;
  }

  private static boolean visibleTo(@Nullable String sentTo, String clientId) {
    return sentTo == null || sentTo.equals(clientId);
  }

  synchronized long seq() {
    return seq;
  }

  synchronized @Nullable String newestId() {
    return lastId;
  }

  /** Forgets everything and starts a new epoch: what a store that lost its data looks like. */
  synchronized void lose(String newEpoch) {
    epoch = newEpoch;
    seq = 0;
    lastId = null;
    lastClientId = null;
    lastGroupId = null;
    dropped = null;
    events.clear();
  }

  /** Drops the events up to and including position {@code through} (trimming). */
  synchronized void trim(long through) {
    while (!events.isEmpty() && events.peekFirst().seq() <= through) {
      dropped = events.removeFirst();
    }
  }

  private long firstHeld() {
    return events.isEmpty() ? seq + 1 : events.peekFirst().seq();
  }
}
