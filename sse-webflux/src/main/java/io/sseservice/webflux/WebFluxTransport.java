package io.sseservice.webflux;

import io.sseservice.internal.BulkHandoff;
import io.sseservice.internal.Handoffs;
import io.sseservice.spi.Transport;
import io.sseservice.spi.WriteCallback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * One WebFlux exchange as a {@link Transport}: the headers go on the exchange's response, and the
 * batches through a {@link BatchStream} that the caller hands to
 * {@code response.writeAndFlushWith}. Thread-safety: thread-safe; its own state is one atomic
 * flag and the volatile peer-gone action.
 *
 * <p>Each batch is one {@link DataBuffer} over the shared frames (wrapped, and on Reactor Netty
 * joined into a composite buffer, so not copied; other servers' buffer factories copy when
 * joining several frames).
 *
 * <p>The frames are immutable, so the server may still read them after the core's callback ran:
 * the callback says "the server is ready for more", not "on the socket" (see {@link BatchStream}).
 *
 * <p>A stream the server ends is ended politely (what the server holds is written, then the end),
 * then its connection is closed, unless a write is still waiting or the connection is backed up:
 * then the connection is cut at once. An end not written after {@link #END_GRACE} is cut too.
 * Closing and cutting need the server's connection ({@link ServerConnection}: Reactor Netty);
 * elsewhere the stream just ends and the server's own timeouts free a stuck connection.
 */
final class WebFluxTransport implements Transport {

  /** How long a stream the server ends may take to write what the server still holds for it. */
  static final Duration END_GRACE = Duration.ofSeconds(10);

  private final ServerHttpResponse response;
  private final boolean allowsConnectionHeader;
  private final ServerConnection connection;
  private final BatchStream body = new BatchStream(this::peerGone);
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Runnable onPeerGone = () -> {};

  /** The server's event loop's hand-off (Reactor Netty); null elsewhere. */
  private final @Nullable BulkHandoff handoff;

  WebFluxTransport(ServerHttpResponse response, boolean allowsConnectionHeader) {
    this.response = response;
    this.allowsConnectionHeader = allowsConnectionHeader;
    this.connection = NativeServer.connectionOf(response);
    Executor loop = connection.loop();
    this.handoff = loop == null ? null : Handoffs.of(loop);
  }

  /** The response body, for {@code response.writeAndFlushWith}. */
  Publisher<Publisher<DataBuffer>> body() {
    return body;
  }

  @Override
  public boolean allowsConnectionHeader() {
    return allowsConnectionHeader;
  }

  /** Reactor Netty cancels the response when the peer goes; a Servlet container does not. */
  @Override
  public boolean noticesPeerGone() {
    return connection != ServerConnection.UNKNOWN;
  }

  @Override
  public void open(Map<String, String> headers, Runnable onPeerGone) {
    this.onPeerGone = onPeerGone;
    HttpHeaders target = response.getHeaders();
    headers.forEach(target::set); // replaces what WebFilters set under the same name only
    response.setStatusCode(HttpStatus.OK);
    body.commit();
  }

  /**
   * On Reactor Netty, a send from another thread that finds the stream idle starts its write on
   * the connection's event loop, through the loop's {@link BulkHandoff} (one task per loop per
   * burst): the sender only queues, instead of running the reactive write chain and Netty's
   * cross-thread hand-over for every stream itself. Elsewhere it runs on the caller's thread.
   */
  @Override
  public void dispatchWrite(Runnable startWrite) {
    BulkHandoff loop = handoff;
    if (loop == null || connection.inLoop()) {
      startWrite.run();
    } else {
      loop.submit(startWrite);
    }
  }

  @Override
  public void write(byte[][] frames, int count, WriteCallback callback) {
    body.write(toDataBuffer(response.bufferFactory(), frames, count), callback);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    boolean backedUp = connection.isBackedUp();
    if (body.end() || backedUp) {
      connection.cut(); // the peer stopped reading: a polite end would wait behind its bytes
    } else {
      // as with the Netty adapter, a stream the server ends also ends its connection: a peer that
      // stopped reading must not keep it (and the bytes the server still holds for it)
      connection.closeAfterEnd(END_GRACE);
    }
  }

  /**
   * The response finished (completed, failed or cancelled) or its body was cancelled. Without
   * {@link #close()} first, that means the peer went away.
   */
  void peerGone() {
    if (!closed.get()) {
      onPeerGone.run();
    }
  }

  private static DataBuffer toDataBuffer(DataBufferFactory factory, byte[][] frames, int count) {
    if (count == 1) {
      return factory.wrap(frames[0]);
    }
    List<DataBuffer> wrapped = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      wrapped.add(factory.wrap(frames[i]));
    }
    return factory.join(wrapped);
  }
}
