package io.sseservice.jdk;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.sseservice.spi.Transport;
import io.sseservice.spi.WriteCallback;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One exchange of the JDK server as a {@link Transport}. The JDK server's response stream blocks,
 * so writes run on writer threads. A thread blocked on a peer that stopped reading is released by
 * interrupting it: the socket channel is interruptible, so the interrupt closes it and the write
 * fails at once.
 *
 * <p>{@code lock} guards {@code writer} (the thread inside a write or the final close, if any),
 * {@code closed} and {@code finished}. No I/O runs while it is held.
 */
final class JdkTransport implements Transport {

  /** How long the final close (which writes the last chunk) may block before it is cut. */
  private static final long CLOSE_GRACE_MILLIS = 5_000;

  private final HttpExchange exchange;
  private final Executor writers;
  private final Object lock = new Object();
  private @Nullable Thread writer;
  private boolean closed;
  private boolean finished;
  private @Nullable OutputStream body;

  JdkTransport(HttpExchange exchange, Executor writers) {
    this.exchange = exchange;
    this.writers = writers;
  }

  @Override
  public void open(Map<String, String> headers, Runnable onPeerGone) throws IOException {
    // The JDK server tells of a gone peer only through failed writes, so onPeerGone is not kept.
    Headers response = exchange.getResponseHeaders();
    headers.forEach(response::set);
    exchange.sendResponseHeaders(200, 0); // length 0: chunked, open-ended
    body = exchange.getResponseBody();
    // JDK 21+ buffer the head until the body's first flush: send it now, not with the first event
    // (a flush with no body bytes writes no chunk)
    body.flush();
  }

  /** True on a writer thread while it runs a dispatched start, until its first write. */
  private static final ThreadLocal<Boolean> STARTING = ThreadLocal.withInitial(() -> false);

  /**
   * Starts the write on a writer thread, so the sender only enqueues and the first batch holds
   * everything queued by the time a writer is free.
   */
  @Override
  public void dispatchWrite(Runnable startWrite) {
    try {
      writers.execute(
          () -> {
            STARTING.set(true);
            try {
              startWrite.run();
            } finally {
              STARTING.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      startWrite.run(); // the pool is shut down: write() reports the failure
    }
  }

  @Override
  public void write(byte[][] frames, int count, WriteCallback callback) {
    if (STARTING.get()) {
      // the dispatched start writes its batch right here; later batches queue behind other
      // streams' writes, so a busy stream cannot keep a writer from the others
      STARTING.set(false);
      runWrite(frames, count, callback);
      return;
    }
    try {
      writers.execute(() -> runWrite(frames, count, callback));
    } catch (RejectedExecutionException e) {
      callback.failed(e);
    }
  }

  private void runWrite(byte[][] frames, int count, WriteCallback callback) {
    IOException failure = null;
    if (!enter()) {
      callback.failed(new IOException("stream closed"));
      return;
    }
    try {
      OutputStream out = body;
      if (out == null) {
        throw new IOException("written before open"); // the Transport contract forbids it
      }
      for (int i = 0; i < count; i++) {
        out.write(frames[i]);
      }
      out.flush();
    } catch (IOException e) {
      failure = e;
    } finally {
      leave();
    }
    if (failure != null) {
      callback.failed(failure);
    } else {
      callback.completed();
    }
    boolean closeNow;
    synchronized (lock) {
      closeNow = closed && !finished;
    }
    if (closeNow) {
      closeExchange(); // close() came during the write; finish it here
    }
  }

  @Override
  public void close() {
    Thread blocked;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      blocked = writer;
    }
    if (blocked != null) {
      blocked.interrupt(); // the writer fails fast and then closes the exchange itself
      return;
    }
    try {
      writers.execute(this::closeExchange);
    } catch (RejectedExecutionException e) {
      closeExchange();
    }
  }

  /** Ends the chunked response (or cuts the socket if that blocks too long). Runs once. */
  private void closeExchange() {
    synchronized (lock) {
      if (finished || writer != null) {
        return;
      }
      writer = Thread.currentThread();
    }
    CompletableFuture.delayedExecutor(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS)
        .execute(this::cutStuckClose);
    try {
      exchange.close();
    } finally {
      synchronized (lock) {
        finished = true;
        writer = null;
      }
      Thread.interrupted(); // an interrupt meant for this close must not leak into the pool
    }
  }

  private void cutStuckClose() {
    synchronized (lock) {
      if (!finished && writer != null) {
        writer.interrupt();
      }
    }
  }

  private boolean enter() {
    synchronized (lock) {
      if (closed) {
        return false;
      }
      writer = Thread.currentThread();
      return true;
    }
  }

  private void leave() {
    synchronized (lock) {
      writer = null;
    }
    Thread.interrupted(); // clear an interrupt from close(): it already closed the channel
  }

  /** {@code com.sun.net.httpserver} gives a handler no socket: only a failed write tells. */
  @Override
  public boolean noticesPeerGone() {
    return false;
  }
}
