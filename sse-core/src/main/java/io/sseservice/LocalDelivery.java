package io.sseservice;

import io.sseservice.internal.SseEncoder;
import io.sseservice.spi.EventHistory;
import io.sseservice.spi.GroupEvent;
import io.sseservice.spi.Recorded;
import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;

/**
 * Delivers events to this node's own connections: encodes each event once and offers the same
 * bytes to every receiving connection. Without a backplane, a group's history append and its
 * delivery run under the group's lock, so every connection of a group sees its events in history
 * order and a replaying connect (under the same lock) misses none and gets none twice; without
 * history no lock is taken at all. With a backplane, the cluster feed calls {@link #deliver} and
 * {@link #reset} in each group's cluster order.
 *
 * <p>Thread-safety: thread-safe.
 */
final class LocalDelivery {

  private final Core core;

  /** The history appends go to; null with a backplane (it records) or without history. */
  private final @Nullable EventHistory appendHistory;

  LocalDelivery(Core core, @Nullable EventHistory appendHistory) {
    this.core = core;
    this.appendHistory = appendHistory;
  }

  /** Sends to every connection of {@code group} ({@code clientId} null) or of one client. */
  int toGroup(String group, @Nullable String clientId, SseEvent event) {
    EventHistory history = appendHistory;
    if (history == null) {
      return core.registry.deliver(
          group, clientId, core.events.encode(event), -1, event.conflationKeyOrNull());
    }
    GroupLocks.Held held = core.locks.lock(group);
    try {
      Recorded recorded = history.append(group, clientId, event, SseEncoder::encode);
      return core.registry.deliver(
          group, clientId, recorded.frame(), recorded.seq(), event.conflationKeyOrNull());
    } finally {
      held.unlock();
    }
  }

  /** Sends to every connection; with history each group records it under its own id. */
  int toEveryone(SseEvent event) {
    if (appendHistory == null) {
      return core.registry.deliverToEveryone(
          core.events.encode(event), event.conflationKeyOrNull());
    }
    int reached = 0;
    for (String group : core.registry.groupNames()) {
      reached += toGroup(group, null, event);
    }
    return reached;
  }

  /** Sends to this node's connection {@code connectionId}; 0 if it is not here (any more). */
  int toConnection(String connectionId, SseEvent event) {
    SseConnection connection = core.registry.connection(connectionId);
    return connection != null
            && connection.enqueue(core.events.encode(event), -1, event.conflationKeyOrNull())
        ? 1
        : 0;
  }

  /** Delivers one event of the cluster feed; the caller holds the group's lock. */
  int deliver(GroupEvent event) {
    String clientId = event.clientId();
    if (clientId != null && core.registry.client(event.group(), clientId).isEmpty()) {
      return 0; // another node's client: not encoded here for nobody
    }
    SseEvent e = event.event();
    return core.registry.deliver(
        event.group(), clientId, core.events.encode(e), event.seq(), e.conflationKeyOrNull());
  }

  /**
   * Tells every connection of {@code group} here that events were lost for good: they get the
   * reset event, carrying the group's newest id. The caller holds the group's lock.
   */
  void reset(String group, @Nullable String newestId) {
    SseService.LOG.log(
        Level.WARNING,
        Logs.quote(
            "events of group "
                + group
                + " were lost"
                + " before this node could deliver them; its connections get "
                + SseService.RESET_EVENT));
    core.registry.forEachConnection(group, connection -> connection.outbox().forgetReplay());
    core.registry.deliver(group, null, resetFrame(newestId), -1, null);
  }

  /** The reset event: its id and data are {@code newestId}, or empty. */
  static byte[] resetFrame(@Nullable String newestId) {
    String id = newestId == null ? "" : newestId;
    try {
      return SseEncoder.encode(
          SseEvent.builder().event(SseService.RESET_EVENT).id(id).data(id).build());
    } catch (IllegalArgumentException e) {
      // an id from a foreign store that cannot be written: the reset goes out without it
      return SseEncoder.encode(
          SseEvent.builder().event(SseService.RESET_EVENT).id("").data("").build());
    }
  }
}
