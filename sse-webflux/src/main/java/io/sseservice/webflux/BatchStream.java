package io.sseservice.webflux;

import io.sseservice.spi.WriteCallback;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * One event stream's response body in the shape {@code ServerHttpResponse.writeAndFlushWith}
 * takes: a publisher of batches, each an inner publisher that the server writes and then flushes.
 * It holds at most one batch, because the core hands over the next only after the previous one's
 * callback ran. Thread-safety: thread-safe (below).
 *
 * <p>Back-pressure: a batch is emitted only on demand, and its callback completes only once the
 * server has demand for another batch. Until then the core counts the write as in flight, so
 * whatever is sent meanwhile waits in the core's bounded queue, where slow consumers are judged
 * (and a write that never completes trips the core's write timeout).
 *
 * <p>{@code lock} guards all state; signals to the subscriber and the
 * core's callbacks run outside it, from the one thread inside {@link #drain()} at a time, so they
 * are serialised as Reactive Streams requires and never run under a lock (docs/CONCURRENCY.md).
 */
final class BatchStream implements Publisher<Publisher<DataBuffer>>, Subscription {

  private final Object lock = new Object();
  private final Runnable onCancel;

  private @Nullable Subscriber<? super Publisher<DataBuffer>> subscriber;
  private long demand;

  /** Emit an empty batch first: the server commits status and headers with it. */
  private boolean commitPending;

  private @Nullable DataBuffer pending;

  /** The callback of the last batch, completed once the server wants another one. */
  private @Nullable WriteCallback callback;

  private boolean ending;

  /** Completed, failed or cancelled: no signal goes out any more. */
  private boolean terminated;

  private @Nullable Throwable error;
  private boolean draining;

  /** {@code onCancel} runs when the server cancels: the peer went away or the write failed. */
  BatchStream(Runnable onCancel) {
    this.onCancel = onCancel;
  }

  /** Lets the server commit the response before any event exists (the client sees it open). */
  void commit() {
    synchronized (lock) {
      commitPending = pending == null && callback == null;
    }
    drain();
  }

  /** Queues the next batch; the core never calls this while a previous callback is pending. */
  void write(DataBuffer batch, WriteCallback done) {
    boolean refused;
    synchronized (lock) {
      refused = terminated || ending;
      if (!refused) {
        if (callback != null) {
          throw new IllegalStateException("overlapping writes");
        }
        commitPending = false; // the batch commits the response just as well
        pending = batch;
        callback = done;
      }
    }
    if (refused) {
      DataBufferUtils.release(batch);
      done.failed(new IOException("event stream ended"));
      return;
    }
    drain();
  }

  /**
   * Completes the stream once nothing is pending. A write still waiting for the server is
   * abandoned (its callback fails); returns whether there was one, i.e. whether the peer is stuck.
   */
  boolean end() {
    WriteCallback orphan;
    DataBuffer dropped;
    synchronized (lock) {
      if (ending) {
        return false;
      }
      ending = true;
      orphan = callback;
      callback = null;
      dropped = orphan != null ? pending : null;
      if (orphan != null) {
        pending = null;
      }
    }
    abandon(orphan, dropped, "event stream closed");
    drain();
    return orphan != null;
  }

  @Override
  public void subscribe(Subscriber<? super Publisher<DataBuffer>> s) {
    boolean second;
    synchronized (lock) {
      second = subscriber != null;
      if (!second) {
        subscriber = s;
        draining = true; // nothing may reach s before onSubscribe returned
      }
    }
    if (second) {
      Operators.error(s, new IllegalStateException("an event stream has one subscriber"));
      return;
    }
    s.onSubscribe(this);
    synchronized (lock) {
      draining = false;
    }
    drain();
  }

  @Override
  public void request(long n) {
    synchronized (lock) {
      if (n <= 0) {
        error = new IllegalArgumentException("Reactive Streams rule 3.9: request " + n);
      } else {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      }
    }
    drain();
  }

  @Override
  public void cancel() {
    boolean first;
    WriteCallback orphan;
    DataBuffer dropped;
    synchronized (lock) {
      first = !terminated;
      terminated = true;
      orphan = callback;
      dropped = pending;
      callback = null;
      pending = null;
    }
    abandon(orphan, dropped, "event stream cancelled");
    if (first) {
      onCancel.run();
    }
  }

  private static void abandon(
      @Nullable WriteCallback orphan, @Nullable DataBuffer dropped, String why) {
    if (dropped != null) {
      DataBufferUtils.release(dropped);
    }
    if (orphan != null) {
      orphan.failed(new IOException(why));
    }
  }

  /** Emits, completes callbacks and terminates as far as demand allows, one thread at a time. */
  private void drain() {
    synchronized (lock) {
      if (draining) {
        return; // the thread inside the loop sees our change: it re-reads state under the lock
      }
      draining = true;
    }
    while (true) {
      Subscriber<? super Publisher<DataBuffer>> s;
      Publisher<DataBuffer> next = null;
      WriteCallback done = null;
      Throwable failure = null;
      boolean complete = false;
      WriteCallback orphan = null;
      DataBuffer dropped = null;
      synchronized (lock) {
        s = subscriber;
        if (s == null || terminated) {
          draining = false;
          return;
        }
        if (error != null) {
          terminated = true;
          failure = error;
          orphan = callback;
          dropped = pending;
          callback = null;
          pending = null;
        } else if ((commitPending || pending != null) && demand > 0) {
          next = !commitPending && pending != null ? Mono.just(pending) : Flux.empty();
          commitPending = false;
          pending = null;
          demand = demand == Long.MAX_VALUE ? demand : demand - 1;
        } else if (!commitPending && pending == null && callback != null && demand > 0) {
          done = callback; // the server wants more: the last batch no longer holds anything up
          callback = null;
        } else if (!commitPending && pending == null && callback == null && ending) {
          terminated = true;
          complete = true;
        } else {
          draining = false;
          return;
        }
      }
      if (next != null) {
        s.onNext(next);
      } else if (done != null) {
        done.completed(); // may call write(): that only queues, this loop emits it
      } else if (complete) {
        s.onComplete();
      } else {
        abandon(orphan, dropped, "event stream failed");
        s.onError(failure);
      }
    }
  }
}
