package io.sseservice.vertx;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.sseservice.internal.BulkHandoff;
import io.sseservice.internal.Frames;
import io.sseservice.internal.Handoffs;
import io.sseservice.spi.Transport;
import io.sseservice.spi.WriteCallback;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One Vert.x server response (an HTTP/1.x connection's exchange or an HTTP/2 stream) as a
 * {@link Transport}. Thread-safety: callable from any thread, as the SPI requires; every call on
 * the response itself runs on the request's Vert.x context, the one {@link VertxSse#connect} was
 * called on.
 *
 * <p>Threading: a call made on that context (the core's next write, run from the previous
 * write's completion, which Vert.x reports there) goes straight through; a call from any other
 * thread (a sender, the service's scheduler, a blocking task) is handed over with
 * {@code context.runOnContext}, whose tasks run in order, so writes and the close keep the order
 * in which the core made them. {@code inFlight} is only touched on the context; {@code closed}
 * is atomic because {@link #close} may come from any thread.
 *
 * <p>A send from another thread that finds the stream idle does not write there: its write starts
 * on the event loop ({@link #dispatchWrite}), through the loop's {@link BulkHandoff}, so that a
 * broadcast to 10,000 streams costs the sender a queue append per stream and the loop one task
 * per burst, and each batch holds all that was queued when the loop got to it.
 *
 * <p>Writes: each batch is copied once into a pooled direct buffer, which Vert.x hands to Netty
 * as it is ({@code BufferInternal.buffer}, Vert.x's own way to wrap a Netty buffer; it does not
 * release it, so this class does once the write completed). A Vert.x {@code Buffer} would be a
 * heap copy that Netty copies again into direct memory for the socket. The core's callback runs
 * when the write's {@code Future} completes. Vert.x
 * completes it only when Netty wrote the bytes to the socket (it is bound to Netty's write
 * promise; writes that find the channel unwritable wait in Vert.x's queue, the future still
 * pending), so a peer that stops reading keeps the callback pending and its events wait in the
 * core's bounded queue, the one place where slow consumers are judged. That is why no
 * {@code drainHandler} is needed: the future already waits for the data to leave.
 */
final class VertxTransport implements Transport {

  /** The HTTP/2 error code for "stream no longer needed"; the client may retry. */
  private static final long CANCEL = 0x8;

  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Context context;
  private final Consumer<Runnable> watchEnd;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Runnable onPeerGone = () -> {};

  /** The event loop's hand-off; null on a worker context, whose writes go one by one. */
  private final @Nullable BulkHandoff handoff;

  /** The callback of the write in flight, null when none; confined to the context. */
  private @Nullable WriteCallback inFlight;

  VertxTransport(HttpServerRequest request, Context context, Consumer<Runnable> watchEnd) {
    this.request = request;
    this.response = request.response();
    this.context = context;
    this.watchEnd = watchEnd;
    this.handoff =
        context.isEventLoopContext() && context instanceof ContextInternal internal
            ? Handoffs.of(internal.nettyEventLoop())
            : null;
  }

  /** Learns of a gone peer from the response's own close and exception handlers. */
  static Consumer<Runnable> watchResponse(HttpServerResponse response) {
    return gone -> response.closeHandler(v -> gone.run()).exceptionHandler(e -> gone.run());
  }

  @Override
  public boolean allowsConnectionHeader() {
    // HTTP/2 forbids it; on HTTP/1.0 a stream is delimited by the connection's close anyway
    return request.version() == HttpVersion.HTTP_1_1;
  }

  @Override
  public void open(Map<String, String> headers, Runnable onPeerGone) {
    this.onPeerGone = onPeerGone;
    if (onContext()) {
      sendHead(headers); // failures go to the core, which then ends the connection
    } else {
      context.runOnContext(
          v -> {
            try {
              sendHead(headers);
            } catch (RuntimeException e) {
              peerGone();
            }
          });
    }
  }

  private void sendHead(Map<String, String> headers) {
    watchEnd.accept(this::peerGone);
    headers.forEach(response.headers()::set); // same names replaced, earlier handlers' kept
    response.headers().remove(HttpHeaders.CONTENT_LENGTH); // a stream has no length
    response.setStatusCode(200);
    Future<Void> head;
    if (request.version() == HttpVersion.HTTP_1_0) {
      // no chunking in HTTP/1.0 and writeHead() insists on it: the head goes with an empty write
      head = response.write(Buffer.buffer());
    } else {
      if (request.version() == HttpVersion.HTTP_1_1) {
        response.setChunked(true);
      }
      head = response.writeHead(); // now, so the client sees the stream open before any event
    }
    head.onFailure(e -> peerGone());
  }

  @Override
  public void dispatchWrite(Runnable startWrite) {
    BulkHandoff loop = handoff;
    if (loop == null || onContext()) {
      startWrite.run(); // on a worker context, write() hands each batch over by itself
    } else {
      // the hand-off runs on the loop's thread; dispatch makes the request's context current
      ContextInternal internal = (ContextInternal) context;
      loop.submit(() -> internal.dispatch(startWrite));
    }
  }

  @Override
  public void write(byte[][] frames, int count, WriteCallback callback) {
    ByteBuf batch = copy(frames, count);
    if (onContext()) {
      send(batch, callback);
    } else {
      context.runOnContext(v -> send(batch, callback));
    }
  }

  private void send(ByteBuf batch, WriteCallback callback) {
    if (closed.get()) {
      batch.release();
      callback.failed(new IOException("stream closed"));
      return;
    }
    Future<Void> written;
    try {
      inFlight = callback;
      written = response.write(BufferInternal.buffer(batch));
    } catch (RuntimeException e) { // the response ended meanwhile (peer gone)
      batch.release();
      inFlight = null;
      callback.failed(e);
      return;
    }
    written.onComplete(
        result -> {
          batch.release(); // Vert.x wrote it or gave up: it holds no reference any more
          if (inFlight != callback) {
            return; // close() already failed it
          }
          inFlight = null; // before the callback, which may start the next write right here
          if (result.succeeded()) {
            callback.completed();
          } else {
            callback.failed(result.cause());
          }
        });
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (onContext()) {
      end();
    } else {
      context.runOnContext(v -> end());
    }
  }

  private void end() {
    WriteCallback orphan = inFlight;
    inFlight = null;
    try {
      if (orphan != null || response.writeQueueFull()) {
        cut(); // a stuck peer: ending politely would wait behind the stuck bytes
      } else {
        response.end();
      }
    } catch (RuntimeException e) {
      // the response already ended: the peer went away first
    }
    if (orphan != null) {
      orphan.failed(new IOException("stream closed"));
    }
  }

  /**
   * Drops the stream: resets the HTTP/2 stream, or closes the HTTP/1.x connection (what
   * {@code reset()} does there too). Vert.x closes that connection once its queued bytes went
   * out; for a peer that never reads again, only a write idle timeout ends it (see VertxSse).
   */
  private void cut() {
    if (request.version() == HttpVersion.HTTP_2) {
      response.reset(CANCEL);
    } else {
      request.connection().close();
    }
  }

  private void peerGone() {
    if (!closed.get()) {
      onPeerGone.run();
    }
  }

  /**
   * Whether this thread runs the request's context now. Vert.x runs a context's tasks with it
   * as the current context; an event-loop context must also be on its event loop thread (a
   * blocking task of the context sees it as current on a worker thread).
   */
  private boolean onContext() {
    return Vertx.currentContext() == context
        && (!context.isEventLoopContext() || Context.isOnEventLoopThread());
  }

  private static ByteBuf copy(byte[][] frames, int count) {
    ByteBuf batch = PooledByteBufAllocator.DEFAULT.directBuffer(Frames.totalLength(frames, count));
    for (int i = 0; i < count; i++) {
      batch.writeBytes(frames[i]);
    }
    return batch;
  }
}
