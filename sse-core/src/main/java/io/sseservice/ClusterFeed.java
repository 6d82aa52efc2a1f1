package io.sseservice;

import io.sseservice.spi.Backplane;
import io.sseservice.spi.ClusterNode;
import io.sseservice.spi.GroupEvent;
import io.sseservice.spi.GroupRange;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * This node's end of the backplane: takes what the backplane delivers and hands it to
 * {@link LocalDelivery} in each group's cluster order. It keeps, per group, the position it
 * delivered last; an event right after it is delivered at once, a repeat is dropped, and one
 * further on waits while the gap is read from the backplane ({@link Backplane#read}), so that the
 * connections never notice a lost or late pub/sub message. Only a gap the log no longer holds (or
 * a log that was lost, a new epoch) reaches them, as the reset event.
 *
 * <p>Thread-safety: thread-safe. A group's position is read and changed only under that group's
 * lock, which also orders the group's deliveries with replaying connects; reads of the backplane
 * are issued after the lock is released.
 */
final class ClusterFeed extends NodeInfo implements ClusterNode {

  /** Events read per {@link Backplane#read} call when filling a gap. */
  static final int READ_BATCH = 512;

  /** Events held while a gap is read; beyond this the group is reset. */
  static final int MAX_PENDING = 10_000;

  /** Groups whose positions are kept; beyond this, positions of groups with no connection here go. */
  static final int MAX_TRACKED_GROUPS = 100_000;

  /** How long to wait before reading again after a failed read (the backplane's store is down). */
  static final long RETRY_MILLIS = 1_000;

  /** Where this node is in one group's log. Guarded by the group's lock. */
  private static final class Position {
    @Nullable String epoch;

    /** The position delivered last; meaningful once {@code epoch} is known. */
    long seq;

    final TreeMap<Long, GroupEvent> pending = new TreeMap<>();
    boolean reading;
    boolean readAgain;

    /** The group's log was found gone, or not yet there: follow its next life from its start. */
    boolean fromStart;

    /**
     * The position was found by asking the log where it is (for a group a connection joined
     * before any of its events reached this node), and nothing has been delivered since: an
     * announcement at or before it is of an event this node never delivered.
     */
    boolean located;
  }

  private final Backplane backplane;
  private final LocalDelivery local;
  private final ConcurrentHashMap<String, Position> positions = new ConcurrentHashMap<>();
  private final AtomicBoolean forgetting = new AtomicBoolean();

  ClusterFeed(
      Core core, Backplane backplane, LocalDelivery local, ScheduledExecutorService scheduler) {
    super(core, scheduler);
    this.backplane = backplane;
    this.local = local;
  }

  // ---- what the connections ask for ----

  /**
   * Starts following {@code group}, which a connection of this node has just joined. If this node
   * knows no position of the group yet, it asks the log where it is: from then on every event of
   * the group reaches this node's connections even if its announcement is lost (a pub/sub outage
   * before the group's first event here is healed like any other). An event published in the
   * moments before the connection registered may reach it too (the log and the feed answer on
   * different connections), never one twice.
   */
  void follow(String group) {
    core.locks.run(
        group,
        () -> {
          if (positions.get(group) == null) {
            requestRead(group, position(group));
          }
        });
  }

  // ---- what the backplane delivers ----

  @Override
  public void onEvent(GroupEvent event) {
    core.locks.run(
        event.group(),
        () -> {
          Position p = followed(event.group());
          if (p != null) {
            accept(event.group(), p, event);
          }
        });
  }

  @Override
  public void onAppended(String group, String epoch, long seq) {
    core.locks.run(
        group,
        () -> {
          Position p = followed(group);
          if (p == null) {
            return;
          }
          if (p.epoch == null) {
            adopt(p, epoch, seq);
          } else if (!p.epoch.equals(epoch)) {
            newEpoch(group, p, epoch, null);
          } else {
            rewindIfLocated(p, seq);
          }
          if (seq > p.seq) {
            requestRead(group, p);
          }
        });
  }

  @Override
  public void onFeedRestored() {
    for (Map.Entry<String, Position> entry : positions.entrySet()) {
      core.locks.run(
          entry.getKey(),
          () -> {
            Position p = positions.get(entry.getKey());
            if (p != null) {
              requestRead(entry.getKey(), p); // one with no epoch yet asks where the log is
            }
          });
    }
  }

  @Override
  public void onConnectionEvent(String connectionId, SseEvent event) {
    core.eventsSent.add(local.toConnection(connectionId, event));
  }

  // ---- ordering; all under the group's lock ----

  /**
   * The position of a group this node has connections in, created if needed; null (and the
   * position dropped) when it has none: what another node's connections get is not read here.
   * A connection that joins later asks the log where the group is ({@link #follow}).
   */
  private @Nullable Position followed(String group) {
    if (core.registry.hasClients(group)) {
      return position(group);
    }
    Position p = positions.get(group);
    if (p != null && !p.reading) {
      positions.remove(group);
    }
    return null;
  }

  private Position position(String group) {
    Position p = positions.get(group);
    if (p == null) {
      if (positions.size() >= MAX_TRACKED_GROUPS && forgetting.compareAndSet(false, true)) {
        AfterLocks.run(this::forgetIdleGroups); // it takes other groups' locks: not under this one
      }
      p = positions.computeIfAbsent(group, g -> new Position());
    }
    return p;
  }

  private void accept(String group, Position p, GroupEvent event) {
    if (p.epoch == null) {
      adopt(p, event.epoch(), event.seq());
    } else if (!p.epoch.equals(event.epoch())) {
      newEpoch(group, p, event.epoch(), event.event().id().orElse(null));
    } else {
      rewindIfLocated(p, event.seq());
    }
    if (event.seq() <= p.seq) {
      return; // delivered already
    }
    if (event.seq() == p.seq + 1) {
      deliver(p, event);
      deliverPending(p);
      return;
    }
    p.pending.put(event.seq(), event);
    if (p.pending.size() > MAX_PENDING) {
      long newest = p.pending.lastKey();
      String newestId = p.pending.lastEntry().getValue().event().id().orElse(null);
      p.pending.clear();
      local.reset(group, newestId);
      p.seq = newest;
      return;
    }
    requestRead(group, p);
  }

  /**
   * Starts following a group at {@code seq}: from there for a group this node never saw (what
   * came before is no connection's business here), from the first position of a log that was
   * found gone and started again.
   */
  private static void adopt(Position p, String epoch, long seq) {
    p.epoch = epoch;
    p.seq = p.fromStart ? 0 : seq - 1;
    p.fromStart = false;
  }

  /**
   * An announcement of {@code seq}, at or before a position found by asking the log, is of an
   * event this node never delivered (announcements come in log order, and none came before the
   * answer): go back to just before it, so that it and what follows are read and delivered.
   */
  private static void rewindIfLocated(Position p, long seq) {
    if (p.located && seq <= p.seq) {
      p.seq = seq - 1;
      p.located = false;
    }
  }

  /** The group's log was lost and started again: what this node held of it is gone. */
  private void newEpoch(String group, Position p, String epoch, @Nullable String newestId) {
    SseService.LOG.log(
        Level.WARNING,
        Logs.quote("group " + group + " has a new log (epoch " + epoch + ", was " + p.epoch + ")"));
    local.reset(group, newestId);
    p.epoch = epoch;
    p.seq = 0;
    p.pending.clear();
  }

  private void deliver(Position p, GroupEvent event) {
    core.eventsSent.add(local.deliver(event));
    p.seq = event.seq();
    p.located = false;
  }

  private void deliverPending(Position p) {
    while (!p.pending.isEmpty()) {
      long first = p.pending.firstKey();
      if (first <= p.seq) {
        p.pending.pollFirstEntry();
      } else if (first == p.seq + 1) {
        deliver(p, p.pending.pollFirstEntry().getValue());
      } else {
        return;
      }
    }
  }

  /**
   * Reads what follows the group's position, unless a read is already under way; without an
   * epoch yet, asks where the log is.
   */
  private void requestRead(String group, Position p) {
    if (p.reading) {
      p.readAgain = true;
      return;
    }
    p.reading = true;
    String epoch = p.epoch;
    long after = p.seq;
    AfterLocks.run(() -> read(group, epoch, after));
  }

  private void read(String group, @Nullable String epoch, long after) {
    try {
      // no epoch is "": every position of it is gone, so the answer is where the log is now
      backplane
          .read(group, epoch == null ? "" : epoch, after, epoch == null ? 1 : READ_BATCH)
          .whenComplete((range, failure) -> onRange(group, epoch, range, failure));
    } catch (RuntimeException e) {
      onRange(group, epoch, null, e);
    }
  }

  private void onRange(
      String group,
      @Nullable String epoch,
      @Nullable GroupRange range,
      @Nullable Throwable failure) {
    core.locks.run(
        group,
        () -> {
          Position p = positions.get(group);
          if (p == null) {
            return;
          }
          p.reading = false;
          if (failure != null || range == null) {
            SseService.LOG.log(
                Level.WARNING,
                Logs.quote(
                    "reading group "
                        + group
                        + " from the backplane failed; trying again in "
                        + RETRY_MILLIS
                        + " ms"),
                failure);
            retryLater(group);
            return;
          }
          if (epoch == null) {
            located(p, range);
          } else if (!Objects.equals(epoch, p.epoch)) {
            p.readAgain = p.epoch != null; // the position moved to another epoch meanwhile
          } else if (range.epoch().isEmpty()) {
            // the group has no log at all (the store lost it): reset once, take its next life whole
            local.reset(group, null);
            p.epoch = null;
            p.fromStart = true;
            p.pending.clear();
          } else if (!range.epoch().equals(p.epoch)) {
            newEpoch(group, p, range.epoch(), range.newestId());
            p.readAgain = true;
          } else if (range.gone()) {
            local.reset(group, range.newestId());
            p.seq = Math.max(p.seq, range.newestSeq());
            deliverPending(p);
          } else {
            for (GroupEvent event : range.events()) {
              if (event.seq() == p.seq + 1) {
                deliver(p, event);
              } else if (event.seq() > p.seq + 1) {
                // the log skipped positions it should hold: treat the hole as gone
                local.reset(group, event.event().id().orElse(null));
                deliver(p, event);
              }
            }
            deliverPending(p);
            if (range.events().size() >= READ_BATCH) {
              p.readAgain = true;
            }
          }
          if (p.readAgain) {
            p.readAgain = false;
            requestRead(group, p);
          }
        });
  }

  /** Takes the answer to "where is the log?", unless an announcement placed the group meanwhile. */
  private static void located(Position p, GroupRange range) {
    if (p.epoch != null) {
      return;
    }
    if (range.epoch().isEmpty()) {
      p.fromStart = true; // no log yet: its first life comes after the connection, all of it
    } else if (p.fromStart) {
      p.epoch = range.epoch();
      p.seq = 0;
      p.fromStart = false;
      p.readAgain = true;
    } else {
      p.epoch = range.epoch();
      p.seq = range.newestSeq();
      p.located = true;
    }
  }

  private void retryLater(String group) {
    try {
      scheduler()
          .schedule(
              () ->
                  core.locks.run(
                      group,
                      () -> {
                        Position p = positions.get(group);
                        if (p != null) {
                          requestRead(group, p);
                        }
                      }),
              RETRY_MILLIS,
              TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the service is closing
    }
  }

  /** Forgets the positions of groups with no connection on this node (bounded memory). */
  private void forgetIdleGroups() {
    try {
      forgetIdle();
    } finally {
      forgetting.set(false);
    }
  }

  private void forgetIdle() {
    for (String group : positions.keySet()) {
      if (core.registry.clients(group).isEmpty()) {
        core.locks.run(
            group,
            () -> {
              Position p = positions.get(group);
              if (p != null && !p.reading && core.registry.clients(group).isEmpty()) {
                positions.remove(group);
              }
            });
      }
    }
  }

  /** Returns the number of groups whose position this node keeps (for tests). */
  int trackedGroups() {
    return positions.size();
  }
}
