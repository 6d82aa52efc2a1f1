package io.sseservice;

import io.sseservice.spi.Transport;
import io.sseservice.spi.WriteCallback;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One connection's bounded queue of encoded frames and its write loop. Frames are shared,
 * immutable byte arrays; enqueueing never copies them and never blocks. While the transport is
 * idle, everything queued (up to {@link #MAX_BATCH} frames and {@link #MAX_BATCH_BYTES}) goes out
 * in one gathering write; the
 * transport's completion starts the next one. No thread waits on a connection. The array that
 * carries a write to the transport is reused, so a steady stream of small writes allocates nothing
 * per connection.
 *
 * <p>A transport that throws from {@code write} or {@code dispatchWrite} broke its contract: the
 * connection ends as a failed write, and the sender, the other connections and the keep-alive
 * tick never see the exception.
 *
 * <p>While a replay is read from a remote history, the outbox is <em>gated</em>: live frames queue
 * (with their group positions) but nothing is written; {@link #openGate} puts the replay first,
 * drops the live frames the replay already holds, and lets writes start.
 *
 * <p>Conflation: a frame offered with a conflation key first removes the queued frame with the
 * same key, if there is one, and is then queued at the end, so ids stay in increasing order on
 * the wire. Only frames still in {@code queue} can be replaced: those of the write in flight
 * were taken out of it (into {@code batch}) when the write started, and the frames of
 * {@code first} (retry, replay, reset) are outside it. The replaced frame's bytes leave
 * {@code queuedBytes} before the bound is checked, so a stream of keyed events whose distinct
 * keys fit the bound never makes the connection a slow consumer, whatever the rate; a
 * replacement that brings the queue back within the bound ends the episode (and the backlog
 * entry) as a write would. It applies whenever a same-key frame is waiting, not only past the
 * bound: a connection that keeps up has an empty queue and nothing to replace, and one that lags
 * never writes a value that was already stale when its write started.
 *
 * <p>All fields are guarded by {@code this}, except {@code callState} (compare-and-set only) and
 * the two {@code volatile} timestamps, which the keep-alive tick reads without the lock; no I/O
 * and no callback runs while the lock is held (see docs/CONCURRENCY.md).
 */
final class Outbox implements WriteCallback {

  /** Bounds one gathering write (the kernel's writev takes at most 1024 buffers). */
  static final int MAX_BATCH = 512;

  /**
   * Bounds one write's bytes (a frame larger than this goes alone). A write in flight for {@link
   * Backlog#STALLED_NANOS} is what tells a stopped reader from a slow one, so a batch must be small
   * enough that any reader still reading finishes it well within that: at 512 frames of 1 KiB a
   * healthy reader on a busy host took over a second per batch, counted as stalled, stopped
   * holding the publisher back and was cut with the readers that had really stopped.
   */
  static final int MAX_BATCH_BYTES = 64 * 1024;

  /**
   * The longest batch array kept for the next write. Longer ones (bursts) are let go once written,
   * so an idle connection holds a few slots, not {@link #MAX_BATCH}.
   */
  static final int KEPT_BATCH_SLOTS = 16;

  private static final byte[][] NO_FRAMES = new byte[0][];

  private final SseConnection owner;
  private final Transport transport;
  private final Core core;

  /** Frames that go before all others and outside the bound: retry, replay or reset on connect. */
  // small to start (they grow as needed): most connections are idle most of the time
  private final ArrayDeque<byte[]> first = new ArrayDeque<>(2);

  /** Frames waiting for a write, with their conflation keys (and group positions while gated). */
  private final FrameQueue queue = new FrameQueue();

  /** Whether a replay is being read: live frames queue with their positions, none is written. */
  private boolean gated;

  /**
   * After a replay: the group position it went through. A live frame at or before it still on
   * its way (a cluster node's feed may lag behind the store the replay read) is a repeat, dropped.
   */
  private long replayedThrough = -1;

  private long queuedBytes;

  /** The frames of the write in flight (slots 0 to {@code batchCount - 1}); reused. */
  private byte[][] batch = NO_FRAMES;

  private int batchCount;
  private boolean open;
  private boolean writing;
  private boolean draining;
  private boolean closed;

  /**
   * Whether the connection was found a slow consumer since its queue was last empty: one
   * episode. Under {@link SlowConsumerPolicy#DROP_OLDEST} it stays open, drops at once while the
   * episode lasts, and holds no publisher back.
   */
  private boolean slow;

  /**
   * Since when the queue has been over {@code maxQueuedBytes} ({@link #NOT_OVER}: it is not); the
   * value also names the episode, so a grace check scheduled for an older one does nothing.
   */
  private long overSinceNanos = NOT_OVER;

  /** Whether this outbox is in the core's {@link Backlog} (over its bound, not slow). */
  private boolean backlogged;

  /** Where the write in flight is: inside {@code transport.write}, or returned from it. */
  private static final int IN_CALL = 0;

  private static final int RETURNED = 1;
  private static final int COMPLETED_INLINE = 2;
  private static final VarHandle CALL_STATE;

  static {
    try {
      CALL_STATE = MethodHandles.lookup().findVarHandle(Outbox.class, "callState", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * {@link #IN_CALL}, {@link #RETURNED} or {@link #COMPLETED_INLINE}: one compare-and-set on each
   * side tells whether a completion came inside the write call (the loop goes on) or after it (the
   * completion goes on), without taking the lock again after every write.
   */
  @SuppressWarnings("unused") // through CALL_STATE
  private volatile int callState = RETURNED;

  /** Starts the write loop where the transport wants it; made once per connection. */
  private final Runnable writeNext = this::writeLoop;

  /** Marks "no write in flight" (any ticker value, even 0, may be a real start time). */
  private static final long NONE = Long.MIN_VALUE;

  /** Marks "the queue is within its bound". */
  private static final long NOT_OVER = Long.MIN_VALUE;

  /** When the write in flight started (monotonic nanoseconds), {@link #NONE} when none is. */
  private volatile long writeStartedNanos = NONE;

  /** When the last write completed (or the connection was made). */
  private volatile long lastActivityNanos;

  Outbox(SseConnection owner, Transport transport, Core core) {
    this.owner = owner;
    this.transport = transport;
    this.core = core;
    this.lastActivityNanos = core.ticker.nanoTime();
  }

  /**
   * Queues a frame at group position {@code seq} (-1: none), first removing the queued frame with
   * conflation key {@code key}, if any (null: the frame has no key). Returns false when the
   * connection is closing or closed, or when the frame made it a slow consumer under
   * {@link SlowConsumerPolicy#DISCONNECT}.
   */
  boolean offer(byte[] frame, long seq, @Nullable String key) {
    if (key != null) {
      return offerKeyed(frame, seq, key); // apart, so that this path stays as small as before
    }
    boolean start;
    synchronized (this) {
      if (closed || draining) {
        return false;
      }
      if (replayHad(seq)) {
        return true;
      }
      if (queuedBytes > 0 && queuedBytes + frame.length > core.config.maxQueuedBytes()) {
        start = false;
      } else {
        append(frame, seq, null);
        if (!startWriting()) {
          return true;
        }
        start = true;
      }
    }
    if (start) {
      dispatch();
      return true;
    }
    return offerOverBound(frame, seq, null);
  }

  /**
   * Whether the replay this connection began with already delivered group position {@code seq}
   * (-1: none); once the live stream is past the replay, forgets it. Holds the lock.
   */
  private boolean replayHad(long seq) {
    if (seq >= 0 && replayedThrough >= 0) {
      if (seq <= replayedThrough) {
        return true;
      }
      replayedThrough = -1;
    }
    return false;
  }

  /** {@link #offer} of a frame with a conflation key: the same, after the replacement. */
  private boolean offerKeyed(byte[] frame, long seq, String key) {
    boolean fits;
    boolean start = false;
    boolean replaced;
    synchronized (this) {
      if (closed || draining) {
        return false;
      }
      if (replayHad(seq)) {
        return true;
      }
      replaced = replaceQueued(key);
      long limit = core.config.maxQueuedBytes();
      fits = queuedBytes == 0 || queuedBytes + frame.length <= limit;
      if (fits) {
        append(frame, seq, key);
        if (replaced && overSinceNanos != NOT_OVER && queuedBytes <= limit) {
          overSinceNanos = NOT_OVER; // the replacement made room: the episode is over
          leaveBacklog();
        }
        start = startWriting();
      }
    }
    if (replaced) {
      conflated();
    }
    if (!fits) {
      return offerOverBound(frame, seq, key);
    }
    if (start) {
      dispatch();
    }
    return true;
  }

  /**
   * Removes the queued frame with conflation key {@code key}, if there is one (a frame of the
   * write in flight is not queued any more). Holds the lock.
   */
  private boolean replaceQueued(String key) {
    byte[] old = queue.remove(key);
    if (old == null) {
      return false;
    }
    queuedBytes -= old.length;
    return true;
  }

  private void append(byte[] frame, long seq, @Nullable String key) {
    queue.add(frame, key, seq);
    queuedBytes += frame.length;
  }

  /** Counts one replaced frame and tells the listeners, outside the lock. */
  private void conflated() {
    core.eventsConflated.increment();
    core.listeners.eventsConflated(owner, 1);
  }

  /**
   * The slow path of {@link #offer}, kept out of it so that the common path stays small: the
   * frame takes the queue over {@code maxQueuedBytes}. That alone is a burst, not a slow consumer:
   * the frame is queued, and the connection becomes a slow consumer only if the queue stays over
   * the bound for longer than the grace period, or the frame would take it past the hard bound.
   */
  private boolean offerOverBound(byte[] frame, long seq, @Nullable String key) {
    boolean start;
    boolean replaced;
    boolean newEpisode = false;
    long graceCheck = NOT_OVER;
    long queuedAt = -1;
    int dropped = 0;
    synchronized (this) {
      if (closed || draining) {
        return false;
      }
      // another sender may have queued this key between the two locks
      replaced = key != null && replaceQueued(key);
      ServiceConfig config = core.config;
      long limit = config.maxQueuedBytes();
      if (queuedBytes > 0 && queuedBytes + frame.length > limit) {
        long now = core.ticker.nanoTime();
        if (overSinceNanos == NOT_OVER) {
          overSinceNanos = now;
          graceCheck = now;
        }
        boolean overHard = queuedBytes + frame.length > config.hardMaxQueuedBytes();
        boolean graceOver = now - overSinceNanos >= config.slowConsumerGrace().toNanos();
        if (slow || overHard || graceOver) {
          queuedAt = queuedBytes;
          newEpisode = !slow;
          slow = true;
          graceCheck = NOT_OVER;
          if (config.slowConsumerPolicy() == SlowConsumerPolicy.DROP_OLDEST) {
            dropped = dropOldest(limit - frame.length);
          }
        } else if (!backlogged) {
          backlogged = true;
          core.backlog.enter(this);
        }
      }
      boolean disconnect =
          queuedAt >= 0 && config.slowConsumerPolicy() == SlowConsumerPolicy.DISCONNECT;
      if (!disconnect) {
        append(frame, seq, key);
        if (queuedBytes <= limit) {
          overSinceNanos = NOT_OVER; // the drops (or the replacement) made room
          leaveBacklog();
        }
      }
      if (slow) {
        leaveBacklog();
      }
      start = startWriting();
    }
    if (replaced) {
      conflated();
    }
    if (graceCheck != NOT_OVER) {
      scheduleGraceCheck(graceCheck);
    }
    if (queuedAt >= 0 && !slowConsumer(newEpisode, queuedAt, dropped)) {
      return false;
    }
    if (start) {
      dispatch();
    }
    return true;
  }

  /**
   * Applies the policy to a slow consumer, outside the lock: reports a new episode, then closes
   * the connection (returns false) or counts the drops.
   */
  private boolean slowConsumer(boolean newEpisode, long queuedAt, int dropped) {
    if (newEpisode) {
      core.listeners.slowConsumer(owner, queuedAt);
    }
    if (core.config.slowConsumerPolicy() == SlowConsumerPolicy.DISCONNECT) {
      owner.abort(CloseReason.SLOW_CONSUMER, null);
      return false;
    }
    if (dropped > 0) {
      core.eventsDropped.add(dropped);
      core.listeners.eventsDropped(owner, dropped);
    }
    return true;
  }

  /** Drops the oldest queued frames until at most {@code keep} bytes are queued. Holds the lock. */
  private int dropOldest(long keep) {
    int dropped = 0;
    while (!queue.isEmpty() && queuedBytes > keep) {
      queuedBytes -= queue.poll().length;
      dropped++;
    }
    return dropped;
  }

  /**
   * After the grace period of the episode that began at {@code overSince}: if the queue is still
   * over its bound, the connection is a slow consumer. Without a scheduler (closing) the next
   * offer finds the grace over instead.
   */
  private void scheduleGraceCheck(long overSince) {
    long grace = core.config.slowConsumerGrace().toNanos();
    try {
      core.scheduler.schedule(() -> graceOver(overSince), grace, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // the service is closing: its queues are drained or cut anyway
    }
  }

  private void graceOver(long overSince) {
    long queuedAt;
    int dropped = 0;
    synchronized (this) {
      if (closed || slow || overSinceNanos != overSince) {
        return; // closed, already slow, or this episode ended
      }
      queuedAt = queuedBytes;
      slow = true;
      if (core.config.slowConsumerPolicy() == SlowConsumerPolicy.DROP_OLDEST) {
        dropped = dropOldest(core.config.maxQueuedBytes());
        overSinceNanos = NOT_OVER; // within the bound again
      }
      leaveBacklog();
    }
    slowConsumer(true, queuedAt, dropped);
  }

  /**
   * Takes this outbox out of the backlog. Holds the lock, so that joining and leaving happen in
   * the order of the queue's changes (the backlog's own monitor never waits for an outbox).
   */
  private void leaveBacklog() {
    if (backlogged) {
      backlogged = false;
      core.backlog.leave(this);
    }
  }

  /**
   * Queues frames ahead of every event, outside the byte bound (they are held by the history or
   * made once per connection anyway). Called while connecting, before {@link #open()}.
   */
  synchronized void offerFirst(List<byte[]> frames) {
    if (!closed) {
      first.addAll(frames);
    }
  }

  /** Holds writes until {@link #openGate}; live frames queue with their positions meanwhile. */
  synchronized void gate() {
    if (!closed && !gated) {
      gated = true;
      queue.keepPositions(); // frames queued before the gate (none in practice): no position
    }
  }

  /**
   * Ends the gate: {@code replay} goes first, live frames at or before {@code throughSeq} (already
   * in the replay) are dropped, the rest follow in order, and writes may start.
   */
  void openGate(List<byte[]> replay, long throughSeq) {
    boolean start;
    synchronized (this) {
      if (closed || !gated) {
        return;
      }
      first.addAll(replay);
      queuedBytes -= queue.dropPositionsThrough(throughSeq); // the replay has them
      gated = false;
      replayedThrough = throughSeq;
      start = startWriting();
    }
    if (start) {
      dispatch();
    }
  }

  /**
   * The group's positions start again (a new epoch, or a reset that jumped over a gap): no live
   * frame is a repeat of the replay any more.
   */
  synchronized void forgetReplay() {
    replayedThrough = -1;
  }

  /**
   * Lets writes start; called once the transport committed the response. The client may see the
   * response (and the application may send and even close) before this runs, so a graceful close
   * requested before it is finished here, after what was queued is written.
   */
  void open() {
    boolean start;
    boolean finishNow;
    synchronized (this) {
      open = true;
      finishNow = !closed && !writing && draining && !gated && queue.isEmpty() && first.isEmpty();
      start = startWriting();
    }
    if (start) {
      dispatch(); // finishes by itself when draining and the queue runs dry
    } else if (finishNow) {
      owner.finish();
    }
  }

  /** Refuses new frames and lets the owner finish once everything queued is written. */
  void drain() {
    boolean finishNow;
    synchronized (this) {
      if (closed || draining) {
        return;
      }
      draining = true;
      // not open yet (or gated): open() or openGate() writes what is queued, then finishes
      finishNow = open && !writing && !gated && queue.isEmpty() && first.isEmpty();
    }
    if (finishNow) {
      owner.finish();
    }
  }

  /** Discards the queue; returns true only for the call that closed it. */
  boolean close() {
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
      first.clear();
      queue.clearAll();
      gated = false;
      queuedBytes = 0;
      overSinceNanos = NOT_OVER;
      leaveBacklog();
    }
    return true;
  }

  synchronized boolean isGated() {
    return gated;
  }

  synchronized boolean isClosed() {
    return closed;
  }

  synchronized long queuedBytes() {
    return queuedBytes;
  }

  /** How long the write in flight has been waiting, in nanoseconds; 0 if none. */
  long stalledNanos(long now) {
    long started = writeStartedNanos;
    return started == NONE ? 0 : now - started;
  }

  /** How long the connection has had nothing to write, in nanoseconds. */
  long idleNanos(long now) {
    return writeStartedNanos != NONE ? 0 : now - lastActivityNanos;
  }

  /**
   * Whether a write should start now (open, not gated, idle, something queued); if so, marks it
   * started, and the caller hands {@link #writeNext} to the transport. Holds the lock.
   */
  private boolean startWriting() {
    if (!open || closed || writing || gated || (queue.isEmpty() && first.isEmpty())) {
      return false;
    }
    writing = true;
    // a write waiting for the transport's thread counts as in flight for the write timeout
    writeStartedNanos = core.ticker.nanoTime();
    return true;
  }

  /** Hands the write loop to the transport; a transport that throws ends this connection. */
  private void dispatch() {
    try {
      transport.dispatchWrite(writeNext);
    } catch (Throwable e) {
      writeFailed(e);
    }
  }

  /**
   * Writes what is queued, batch after batch, for as long as the transport completes inline; stops
   * when the queue is empty or a write completes later (its completion calls this again). Runs on
   * the thread the transport chose, so a batch holds everything queued by the time it is written.
   */
  private void writeLoop() {
    writeLoop(STAMPED);
  }

  /** The batch about to start was stamped by {@link #startWriting()}. */
  private static final int STAMPED = 0;

  /** The previous batch completed later, on its own thread: it read the clock then. */
  private static final int AFTER_COMPLETION = 1;

  /** The previous batch completed inside {@code write}: no clock read yet. */
  private static final int AFTER_INLINE_COMPLETION = 2;

  /**
   * The write loop; {@code how} tells where the next batch's start time comes from, so that a
   * write costs two clock reads at most (one when it starts, one when it completes later), and
   * one when the transport completes inline.
   */
  private void writeLoop(int how) {
    while (true) {
      int count;
      synchronized (this) {
        releaseBatch();
        if (closed) {
          writing = false;
          return;
        }
        if (queue.isEmpty() && first.isEmpty()) {
          writing = false;
          writeStartedNanos = NONE;
          slow = false;
          if (!draining) {
            return;
          }
          count = 0;
        } else {
          count = takeBatch();
          if (overSinceNanos != NOT_OVER && queuedBytes <= core.config.maxQueuedBytes()) {
            overSinceNanos = NOT_OVER; // the burst drained: the grace check finds it over
            leaveBacklog();
          }
          if (how == AFTER_COMPLETION) {
            writeStartedNanos = lastActivityNanos;
          } else if (how == AFTER_INLINE_COMPLETION) {
            writeStartedNanos = core.ticker.nanoTime(); // a burst: more than one batch this run
          }
          callState = IN_CALL;
        }
      }
      if (count == 0) {
        owner.finish();
        return;
      }
      try {
        // batch is only replaced under the lock after this write's callback: safe to read here
        transport.write(batch, count, this);
      } catch (Throwable e) {
        CALL_STATE.compareAndSet(this, IN_CALL, RETURNED); // a late completion then finds it closed
        writeFailed(e);
        return;
      }
      if (CALL_STATE.compareAndSet(this, IN_CALL, RETURNED)) {
        return; // not completed yet: the completion continues the loop on its own thread
      }
      // completed inside write(): loop on without recursing
      how = AFTER_INLINE_COMPLETION;
    }
  }

  /** Moves up to {@link #MAX_BATCH} frames into {@link #batch}; returns how many. Holds the lock. */
  private int takeBatch() {
    int count = firstFitting();
    if (count == first.size()) {
      count = queue.fitting(count, bytesOf(first));
    }
    if (batch.length < count) {
      // a power of two up to the kept size, so a connection settles on one array
      int slots =
          count > KEPT_BATCH_SLOTS ? count : Math.max(4, Integer.highestOneBit(count - 1) << 1);
      batch = new byte[slots][];
    }
    for (int i = 0; i < count; i++) {
      byte[] frame = first.poll();
      if (frame == null) {
        frame = queue.poll();
        queuedBytes -= frame.length;
      }
      batch[i] = frame;
    }
    batchCount = count;
    return count;
  }

  /** How many frames of {@link #first} start a batch: see {@link FrameQueue#fitting}. */
  private int firstFitting() {
    int count = 0;
    long bytes = 0;
    for (byte[] frame : first) {
      if (batchFull(count, bytes, frame.length)) {
        break;
      }
      bytes += frame.length;
      count++;
    }
    return count;
  }

  /**
   * Whether a batch of {@code count} frames and {@code bytes} is full before a frame of {@code
   * next} bytes: at {@link #MAX_BATCH} frames, or when that frame would pass {@link
   * #MAX_BATCH_BYTES} (a first frame always goes, however large).
   */
  static boolean batchFull(int count, long bytes, int next) {
    return count == MAX_BATCH || (count > 0 && bytes + next > MAX_BATCH_BYTES);
  }

  private static long bytesOf(ArrayDeque<byte[]> frames) {
    long bytes = 0;
    for (byte[] frame : frames) {
      bytes += frame.length;
    }
    return bytes;
  }

  /** The transport is done with the batch: drop its frames (an idle connection pins none). */
  private void releaseBatch() {
    if (batch.length > KEPT_BATCH_SLOTS) {
      batch = NO_FRAMES;
    } else {
      Arrays.fill(batch, 0, batchCount, null);
    }
    batchCount = 0;
  }

  @Override
  public void completed() {
    if (CALL_STATE.compareAndSet(this, IN_CALL, COMPLETED_INLINE)) {
      // inside write(): the loop there goes on; a write that completed in the call took no time
      // worth a clock read, so idleness counts from its start
      lastActivityNanos = writeStartedNanos;
      return;
    }
    lastActivityNanos = core.ticker.nanoTime();
    writeLoop(AFTER_COMPLETION);
  }

  @Override
  public void failed(Throwable cause) {
    writeFailed(cause);
  }

  private void writeFailed(Throwable cause) {
    synchronized (this) {
      releaseBatch();
      writing = false;
      writeStartedNanos = NONE;
    }
    if (cause instanceof Error) {
      SseService.LOG.log(System.Logger.Level.WARNING, "write to " + owner + " failed", cause);
    }
    owner.abort(CloseReason.PEER_GONE, cause);
  }
}
