package io.sseservice.servlet;

import io.sseservice.internal.Frames;
import io.sseservice.spi.Transport;
import io.sseservice.spi.WriteCallback;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One async Servlet exchange as a {@link Transport}, written with non-blocking I/O. A batch goes
 * through three stages, each started only when {@code isReady()} allows it: write the batch (one
 * array), flush it, and wait until the container took it; then the core's callback runs. When
 * {@code isReady()} says no, the container calls {@link #onWritePossible()} later and the stages
 * go on from there, so no thread ever waits on a slow peer.
 *
 * <p>{@code lock} guards the stage, the pending bytes and callback, and the flags; the servlet
 * stream is only touched under it (the container's thread and the core's senders both drive it),
 * and callbacks run after it is released.
 */
final class ServletTransport implements Transport, WriteListener, AsyncListener {

  private enum Stage {
    IDLE,
    WRITE,
    FLUSH,
    WAIT
  }

  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final Object lock = new Object();
  private @Nullable AsyncContext async;
  private @Nullable ServletOutputStream out;
  private Runnable onPeerGone = () -> {};
  private Stage stage = Stage.IDLE;
  private byte @Nullable [] pending;
  private @Nullable WriteCallback callback;
  private boolean headersSent;
  private boolean closed;

  ServletTransport(HttpServletRequest request, HttpServletResponse response) {
    this.request = request;
    this.response = response;
  }

  /** The Servlet API tells of a gone client only through a failed write. */
  @Override
  public boolean noticesPeerGone() {
    return false;
  }

  @Override
  public boolean allowsConnectionHeader() {
    return !request.getProtocol().startsWith("HTTP/2")
        && !request.getProtocol().startsWith("HTTP/3");
  }

  @Override
  public void open(Map<String, String> headers, Runnable onPeerGone) throws IOException {
    this.onPeerGone = onPeerGone;
    headers.forEach(response::setHeader);
    response.setStatus(HttpServletResponse.SC_OK);
    AsyncContext context = request.startAsync(request, response);
    context.setTimeout(0); // a stream lives until one side ends it
    context.addListener(this);
    ServletOutputStream stream = response.getOutputStream();
    synchronized (lock) {
      async = context;
      out = stream;
    }
    // the container calls onWritePossible() as soon as it can write: the headers go out then
    stream.setWriteListener(this);
  }

  /** True on a thread inside this class's container callback, where writing inline is right. */
  private static final ThreadLocal<Boolean> IN_CALLBACK = ThreadLocal.withInitial(() -> false);

  @Override
  public void dispatchWrite(Runnable startWrite) {
    if (writesInline()) {
      startWrite.run();
    } else {
      WriteHandoff.shared().submit(startWrite);
    }
  }

  @Override
  public void write(byte[][] frames, int count, WriteCallback callback) {
    if (writesInline()) {
      writeNow(frames, count, callback);
    } else {
      WriteHandoff.shared().submit(() -> writeNow(frames, count, callback));
    }
  }

  /** In a container callback of this class, or on the hand-off's writer thread. */
  private static boolean writesInline() {
    return IN_CALLBACK.get() || WriteHandoff.isWriterThread();
  }

  private void writeNow(byte[][] frames, int count, WriteCallback callback) {
    byte[] batch = join(frames, count);
    WriteCallback done;
    Throwable failed;
    synchronized (lock) {
      if (closed) {
        done = callback;
        failed = new IOException("stream closed");
      } else {
        this.pending = batch;
        this.callback = callback;
        this.stage = Stage.WRITE;
        done = pumpOrFail();
        failed = failure;
      }
    }
    if (done != null) {
      finish(done, failed);
    }
  }

  @Override
  public void onWritePossible() {
    WriteCallback done;
    Throwable failed;
    synchronized (lock) {
      done = pumpOrFail();
      failed = failure;
    }
    if (done != null) {
      IN_CALLBACK.set(true); // the next batch this completion starts is written right here
      try {
        finish(done, failed);
      } finally {
        IN_CALLBACK.set(false);
      }
    }
  }

  @Override
  public void onError(Throwable cause) {
    fail(cause);
  }

  @Override
  public void close() {
    AsyncContext context;
    WriteCallback orphan;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      context = async;
      orphan = callback;
      callback = null;
      pending = null;
      stage = Stage.IDLE;
    }
    if (orphan != null) {
      orphan.failed(new IOException("stream closed"));
    }
    if (context != null) {
      try {
        context.complete();
      } catch (IllegalStateException e) {
        // the container already completed it (the peer went away first)
      }
    }
  }

  // ---- AsyncListener: the container tells us the exchange ended ----

  @Override
  public void onComplete(AsyncEvent event) {
    peerGone();
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    peerGone();
  }

  @Override
  public void onError(AsyncEvent event) {
    fail(event.getThrowable() != null ? event.getThrowable() : new IOException("async error"));
    // complete now: left open, the container would dispatch the error to the app's error page
    // (Spring's /error), which cannot write to an event stream and only logs noise
    try {
      event.getAsyncContext().complete();
    } catch (IllegalStateException e) {
      // already completed
    }
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // nothing: one async cycle per stream
  }

  // ---- the write stages ----

  /** The failure that ended the last pump, if any; read right after pumpOrFail under the lock. */
  private @Nullable Throwable failure;

  /**
   * Drives the stages as far as the container allows. Returns the callback to run (outside the
   * lock) when a batch is done or failed, else null. Must hold {@code lock}.
   */
  private @Nullable WriteCallback pumpOrFail() {
    failure = null;
    try {
      return pump();
    } catch (IOException | RuntimeException e) {
      failure = e;
      WriteCallback failed = callback;
      callback = null;
      pending = null;
      stage = Stage.IDLE;
      return failed;
    }
  }

  private @Nullable WriteCallback pump() throws IOException {
    ServletOutputStream stream = out;
    if (stream == null || closed) {
      return null;
    }
    while (true) {
      switch (stage) {
        case IDLE:
          if (!headersSent && stream.isReady()) {
            stream.flush(); // commits status and headers: the client sees the stream open
            headersSent = true;
          }
          return null;
        case WRITE:
          if (!stream.isReady()) {
            return null;
          }
          byte[] bytes = pending;
          pending = null;
          stream.write(bytes);
          stage = Stage.FLUSH;
          break;
        case FLUSH:
          if (!stream.isReady()) {
            return null;
          }
          stream.flush();
          headersSent = true;
          stage = Stage.WAIT;
          break;
        case WAIT:
          if (!stream.isReady()) {
            return null; // the container still holds our bytes: wait for onWritePossible
          }
          stage = Stage.IDLE;
          WriteCallback done = callback;
          callback = null;
          return done;
        default:
          throw new IllegalStateException("stage " + stage);
      }
    }
  }

  private void fail(Throwable cause) {
    WriteCallback failed;
    synchronized (lock) {
      failed = callback;
      callback = null;
      pending = null;
      stage = Stage.IDLE;
    }
    if (failed != null) {
      failed.failed(cause);
    }
    peerGone();
  }

  private void peerGone() {
    boolean ours;
    synchronized (lock) {
      ours = closed;
    }
    if (!ours) {
      onPeerGone.run();
    }
  }

  private static void finish(WriteCallback callback, @Nullable Throwable failure) {
    if (failure == null) {
      callback.completed();
    } else {
      callback.failed(failure);
    }
  }

  private static byte[] join(byte[][] frames, int count) {
    if (count == 1) {
      return frames[0]; // shared and never modified: the container only reads it
    }
    byte[] joined = new byte[Frames.totalLength(frames, count)];
    int pos = 0;
    for (int i = 0; i < count; i++) {
      System.arraycopy(frames[i], 0, joined, pos, frames[i].length);
      pos += frames[i].length;
    }
    return joined;
  }
}
