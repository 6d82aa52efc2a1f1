package io.sseservice;

import io.sseservice.spi.Transport;
import io.sseservice.spi.WriteCallback;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * One connection's bounded queue of encoded frames and its write loop. Frames are shared,
 * immutable byte arrays; enqueueing never copies them and never blocks. While the transport is
 * idle, everything queued (up to {@link #MAX_BATCH} frames) goes out in one gathering write; the
 * transport's completion starts the next one. No thread waits on a connection. The array that
 * carries a write to the transport is reused, so a steady stream of small writes allocates nothing
 * per connection.
 *
 * <p>All fields are guarded by {@code this}, except {@code callState} (compare-and-set only) and
 * the two {@code volatile} timestamps, which the keep-alive tick reads without the lock; no I/O
 * and no callback runs while the lock is held (see docs/CONCURRENCY.md).
 */
final class Outbox implements WriteCallback {

  /** Bounds one gathering write (the kernel's writev takes at most 1024 buffers). */
  static final int MAX_BATCH = 512;

  /**
   * The longest batch array kept for the next write. Longer ones (bursts) are let go once written,
   * so an idle connection holds a few slots, not {@link #MAX_BATCH}.
   */
  static final int KEPT_BATCH_SLOTS = 16;

  private static final byte[][] NO_FRAMES = new byte[0][];

  private final SseConnection owner;
  private final Transport transport;
  private final SseService service;

  /** Frames that go before all others and outside the bound: retry, replay or reset on connect. */
  // small to start (they grow as needed): most connections are idle most of the time
  private final ArrayDeque<byte[]> first = new ArrayDeque<>(2);
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>(4);
  private long queuedBytes;
  /** The frames of the write in flight (slots 0 to {@code batchCount - 1}); reused. */
  private byte[][] batch = NO_FRAMES;
  private int batchCount;
  private boolean open;
  private boolean writing;
  private boolean draining;
  private boolean closed;

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

  /** Marks "no write in flight" (any clock value, even 0, may be a real start time). */
  private static final long NONE = Long.MIN_VALUE;

  /** When the write in flight started, {@link #NONE} when none is. */
  private volatile long writeStartedMillis = NONE;
  /** When the last write completed (or the connection was made). */
  private volatile long lastActivityMillis;

  Outbox(SseConnection owner, Transport transport, SseService service) {
    this.owner = owner;
    this.transport = transport;
    this.service = service;
    this.lastActivityMillis = service.nowMillis();
  }

  /**
   * Queues a frame. Returns false when the connection is closing or closed, or when the frame made
   * it a slow consumer under {@link SlowConsumerPolicy#DISCONNECT}.
   */
  boolean offer(byte[] frame) {
    boolean start;
    long slowAt = -1;
    int dropped = 0;
    synchronized (this) {
      if (closed || draining) {
        return false;
      }
      long limit = service.maxQueuedBytes();
      if (queuedBytes > 0 && queuedBytes + frame.length > limit) {
        slowAt = queuedBytes;
        if (service.slowConsumerPolicy() == SlowConsumerPolicy.DROP_OLDEST) {
          while (!queue.isEmpty() && queuedBytes + frame.length > limit) {
            queuedBytes -= queue.poll().length;
            dropped++;
          }
        }
      }
      if (slowAt < 0 || dropped > 0 || queue.isEmpty()) {
        queue.add(frame);
        queuedBytes += frame.length;
      }
      start = startWriting();
    }
    if (slowAt >= 0) {
      long queued = slowAt;
      service.notifyListeners(l -> l.onSlowConsumer(owner, queued));
      if (dropped == 0) {
        owner.abort(CloseReason.SLOW_CONSUMER, null);
        return false;
      }
      service.eventsDropped(owner, dropped);
    }
    if (start) {
      transport.dispatchWrite(writeNext);
    }
    return true;
  }

  /**
   * Queues frames ahead of every event, outside the byte bound (they are held by the history or
   * made once per connection anyway). Called while connecting, before {@link #open()}.
   */
  void offerFirst(List<byte[]> frames) {
    synchronized (this) {
      if (!closed) {
        first.addAll(frames);
      }
    }
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
      finishNow = !closed && !writing && draining && queue.isEmpty() && first.isEmpty();
      start = startWriting();
    }
    if (start) {
      transport.dispatchWrite(writeNext); // finishes by itself when draining and the queue runs dry
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
      // not open yet: open() writes what is queued, then finishes
      finishNow = open && !writing && queue.isEmpty() && first.isEmpty();
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
      queue.clear();
      queuedBytes = 0;
      return true;
    }
  }

  synchronized long queuedBytes() {
    return queuedBytes;
  }

  /** How long the write in flight has been waiting, 0 if none. */
  long stalledMillis(long now) {
    long started = writeStartedMillis;
    return started == NONE ? 0 : now - started;
  }

  /** How long the connection has had nothing to write. */
  long idleMillis(long now) {
    return writeStartedMillis != NONE ? 0 : now - lastActivityMillis;
  }

  /**
   * Whether a write should start now (open, idle, something queued); if so, marks it started, and
   * the caller hands {@link #writeNext} to the transport. Holds the lock.
   */
  private boolean startWriting() {
    if (!open || closed || writing || (queue.isEmpty() && first.isEmpty())) {
      return false;
    }
    writing = true;
    // a write waiting for the transport's thread counts as in flight for the write timeout
    writeStartedMillis = service.nowMillis();
    return true;
  }

  /**
   * Writes what is queued, batch after batch, for as long as the transport completes inline; stops
   * when the queue is empty or a write completes later (its completion calls this again). Runs on
   * the thread the transport chose, so a batch holds everything queued by the time it is written.
   */
  private void writeLoop() {
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
          writeStartedMillis = NONE;
          if (!draining) {
            return;
          }
          count = 0;
        } else {
          count = takeBatch();
          writeStartedMillis = service.nowMillis();
          callState = IN_CALL;
        }
      }
      if (count == 0) {
        owner.finish();
        return;
      }
      // batch is only replaced under the lock after this write's callback: safe to read here
      transport.write(batch, count, this);
      if (CALL_STATE.compareAndSet(this, IN_CALL, RETURNED)) {
        return; // not completed yet: the completion continues the loop on its own thread
      }
      // completed inside write(): loop on without recursing
    }
  }

  /** Moves up to {@link #MAX_BATCH} frames into {@link #batch}; returns how many. Holds the lock. */
  private int takeBatch() {
    int count = Math.min(first.size() + queue.size(), MAX_BATCH);
    if (batch.length < count) {
      // a power of two up to the kept size, so a connection settles on one array
      int slots = count > KEPT_BATCH_SLOTS ? count : Math.max(4, Integer.highestOneBit(count - 1) << 1);
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
    lastActivityMillis = service.nowMillis();
    if (CALL_STATE.compareAndSet(this, IN_CALL, COMPLETED_INLINE)) {
      return; // inside write(): the loop there goes on
    }
    writeLoop();
  }

  @Override
  public void failed(Throwable cause) {
    synchronized (this) {
      releaseBatch();
      writing = false;
      writeStartedMillis = NONE;
    }
    owner.abort(CloseReason.PEER_GONE, cause);
  }
}
