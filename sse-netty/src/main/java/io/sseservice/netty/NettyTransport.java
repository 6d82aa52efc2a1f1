package io.sseservice.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sseservice.internal.BulkHandoff;
import io.sseservice.internal.Frames;
import io.sseservice.spi.Transport;
import io.sseservice.spi.WriteCallback;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One Netty channel (an HTTP/1.1 connection or an HTTP/2 stream) as a {@link Transport}. Each
 * batch's frames are copied once into one pooled I/O buffer, one {@code HttpContent} (a batch
 * over {@link #SLICE_BYTES}: one slice of that size at a time, see {@link SlicedWrite}); the core's
 * callback runs when Netty reports the write done, on the channel's event loop, which then
 * writes the next batch without a task hop.
 *
 * <p>Netty's channel serialises all writes on its event loop, so this class keeps only two
 * atomic flags: whether a write is in flight (a close then cuts instead of ending politely) and
 * whether it is closed.
 */
final class NettyTransport implements Transport {

  /**
   * The most bytes copied into one write: a batch up to this size is one buffer and one write (the
   * common case, as cheap as can be); a larger one goes out in slices of this size, one at a time.
   */
  static final int SLICE_BYTES = 64 * 1024;

  private final Channel channel;
  private final boolean http2;
  private final boolean ownPipeline;
  private final AtomicBoolean writing = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final BulkHandoff batcher;

  /**
   * Where chunks are written from once the response head is out (HTTP/1.1): the HTTP encoder's
   * context (or, in {@code NettySseServer}, that of the handler that replaced the codec), so a
   * chunk this class frames itself goes only through the handlers between the encoder and the
   * socket (TLS, if any), not through the encoder. Null: every write is an {@code HttpContent}
   * through the whole pipeline (HTTP/2, an unknown codec, or an outbound handler behind the codec
   * that may need to see the content, such as a compressor). Set on open, read on the loop.
   */
  private volatile @Nullable ChannelHandlerContext chunks;

  /** The core's callback of the write in flight, when it completes later (its listener). */
  private @Nullable WriteCallback pending;

  /** Completes {@link #pending}; one per connection instead of a listener per write. */
  private final ChannelFutureListener onWritten = this::written;

  NettyTransport(Channel channel, boolean http2) {
    this(channel, http2, false);
  }

  /**
   * A transport on {@code channel}; {@code ownPipeline}: the pipeline is {@code NettySseServer}'s,
   * whose HTTP codec this transport may replace once the response head is written (the connection
   * reads no more requests), so that an idle stream keeps no decoder state.
   */
  NettyTransport(Channel channel, boolean http2, boolean ownPipeline) {
    this.channel = channel;
    this.http2 = http2;
    this.ownPipeline = ownPipeline;
    this.batcher = LoopBatcher.of(channel.eventLoop());
  }

  @Override
  public boolean allowsConnectionHeader() {
    return !http2;
  }

  @Override
  public void open(Map<String, String> headers, Runnable onPeerGone) {
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    headers.forEach(response.headers()::set);
    if (!http2) {
      HttpUtil.setTransferEncodingChunked(response, true);
    }
    channel
        .closeFuture()
        .addListener(
            future -> {
              if (!closed.get()) {
                onPeerGone.run();
              }
            });
    channel.writeAndFlush(response);
    if (!http2) {
      chunks = chunkContext();
    }
  }

  /**
   * Finds where this transport can write its own chunks (see {@link #chunks}); in
   * {@code NettySseServer}'s pipeline, on the loop, replaces the codec by {@link StreamInput}
   * first. Null when the content must go through the pipeline.
   */
  private @Nullable ChannelHandlerContext chunkContext() {
    ChannelPipeline pipeline = channel.pipeline();
    ChannelHandlerContext codec = pipeline.context(HttpServerCodec.class);
    if (codec == null) {
      codec = pipeline.context(HttpResponseEncoder.class);
    }
    if (codec == null) {
      return null; // an encoder of the application's: it frames the content
    }
    if (ownPipeline
        && channel.eventLoop().inEventLoop()
        && codec.handler() instanceof HttpServerCodec) {
      // the head has gone through the encoder (written synchronously on the loop); the stream
      // reads no more requests, so the codec's decoder and encoder state goes
      pipeline.replace(codec.handler(), "sse-stream-input", StreamInput.INSTANCE);
      return pipeline.context(StreamInput.INSTANCE);
    }
    for (ChannelHandlerContext ctx = codec; ; ) {
      ctx = next(pipeline, ctx);
      if (ctx == null) {
        return codec;
      }
      if (ctx.handler() instanceof ChannelOutboundHandler) {
        return null; // it may need to see the content (a compressor, a keep-alive handler)
      }
    }
  }

  /** The context after {@code ctx}, towards the tail; null at the end. */
  private static @Nullable ChannelHandlerContext next(
      ChannelPipeline pipeline, ChannelHandlerContext ctx) {
    boolean found = false;
    for (Map.Entry<String, ChannelHandler> entry : pipeline) {
      if (found) {
        return pipeline.context(entry.getValue());
      }
      found = entry.getValue() == ctx.handler();
    }
    return null;
  }

  /**
   * Always through the loop's hand-off, also on the loop: a send from a handler running there (a
   * publish route) then only queues, and the write starts once that handler has returned, with
   * everything it queued in one batch. (Run inline, each send was one write and one syscall per
   * connection of that loop, on the handler's thread: 100 broadcasts to 10,000 streams from a
   * route took 11 s instead of 1.)
   */
  @Override
  public void dispatchWrite(Runnable startWrite) {
    batcher.submit(startWrite); // the batch is taken on the loop, with all that queued till then
  }

  @Override
  public void write(byte[][] frames, int count, WriteCallback callback) {
    writing.set(true);
    if (channel.eventLoop().inEventLoop()) {
      writeNow(frames, count, callback);
    } else {
      batcher.submit(() -> writeNow(frames, count, callback));
    }
  }

  private void writeNow(byte[][] frames, int count, WriteCallback callback) {
    if (!channel.eventLoop().inEventLoop()) {
      // the loop refused the hand-off (shut down): its channel is gone, and Netty would not even
      // run a listener on it any more
      writing.set(false);
      callback.failed(new ClosedChannelException());
      return;
    }
    int length = Frames.totalLength(frames, count);
    if (length > SLICE_BYTES) {
      new SlicedWrite(frames, count, length, callback).run();
      return;
    }
    ChannelFuture written;
    try {
      written = writeOnce(frames, count, length);
    } catch (Throwable e) { // e.g. OutOfMemoryError: cannot reserve direct buffer memory
      writing.set(false);
      callback.failed(e);
      return;
    }
    pending = callback;
    if (written.isDone()) {
      written(written); // the socket took it at once: the core's loop goes on inline
    } else {
      written.addListener(onWritten);
    }
  }

  private void written(ChannelFuture future) {
    WriteCallback callback = pending;
    pending = null;
    writing.set(false);
    if (callback == null) {
      return;
    }
    if (future.isSuccess()) {
      callback.completed();
    } else {
      callback.failed(future.cause());
    }
  }

  /**
   * One copy into one pooled I/O (direct) buffer, one flushed write: the copy a NIO socket needs
   * anyway to write heap memory, made here in one pass instead of through a composite of
   * wrappers. Whatever it throws (an Error too) fails this connection's write only.
   */
  private ChannelFuture writeOnce(byte[][] frames, int count, int length) {
    ChannelHandlerContext direct = chunks;
    ByteBuf content = direct == null ? channel.alloc().ioBuffer(length) : startChunk(length);
    try {
      for (int i = 0; i < count; i++) {
        content.writeBytes(frames[i]);
      }
    } catch (Throwable e) {
      content.release();
      throw e;
    }
    return send(direct, content); // releases content
  }

  /**
   * A pooled I/O buffer for one HTTP/1.1 chunk of {@code size} bytes, its size line written: the
   * framing {@code HttpObjectEncoder} would add as two more buffers.
   */
  private ByteBuf startChunk(int size) {
    ByteBuf chunk = channel.alloc().ioBuffer(size + CHUNK_OVERHEAD);
    chunk.writeCharSequence(Integer.toHexString(size), StandardCharsets.US_ASCII);
    chunk.writeShort(CRLF);
    return chunk;
  }

  /** Writes {@code content}: a chunk of ours from {@code direct}, else an {@code HttpContent}. */
  private ChannelFuture send(@Nullable ChannelHandlerContext direct, ByteBuf content) {
    if (direct == null) {
      return channel.writeAndFlush(new DefaultHttpContent(content));
    }
    content.writeShort(CRLF);
    return direct.writeAndFlush(content);
  }

  /** {@code \r\n} as one short. */
  private static final int CRLF = ('\r' << 8) | '\n';

  /** A chunk's framing at most: 8 hex digits and CRLF before the data, CRLF after it. */
  private static final int CHUNK_OVERHEAD = 12;

  /** The last chunk and the empty trailer, ending the response. */
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * A batch larger than {@link #SLICE_BYTES}, written as slices of at most that size, each copied
   * into a pooled I/O buffer only when the one before it has been written to the socket: however
   * large the event, a connection holds at most one slice of direct memory, where one copy of
   * the whole batch per connection (one 50 MB event to 20 readers: a gigabyte) ran the process
   * out of direct memory. The core's callback runs once, when the last slice is written or a
   * slice failed; whatever a step throws (an Error too) fails this connection's write only.
   * Runs on the channel's event loop (its listener does too).
   */
  private final class SlicedWrite implements ChannelFutureListener, Runnable {
    private final byte[][] frames;
    private final int count;
    private final WriteCallback callback;
    private int remaining;
    private int frame;
    private int offset;

    SlicedWrite(byte[][] frames, int count, int length, WriteCallback callback) {
      this.frames = frames;
      this.count = count;
      this.remaining = length;
      this.callback = callback;
    }

    /** Writes slices for as long as the socket takes them at once; then waits for a listener. */
    @Override
    public void run() {
      try {
        while (true) {
          ChannelHandlerContext direct = chunks;
          ChannelFuture written = send(direct, nextSlice(direct));
          if (!written.isDone()) {
            written.addListener(this); // the socket is full: go on when this slice is out
            return;
          }
          if (!written.isSuccess() || remaining == 0) {
            finish(written.cause());
            return;
          }
        }
      } catch (Throwable e) { // e.g. OutOfMemoryError: cannot reserve direct buffer memory
        finish(e);
      }
    }

    @Override
    public void operationComplete(ChannelFuture written) {
      if (!written.isSuccess() || remaining == 0) {
        finish(written.cause());
      } else {
        run();
      }
    }

    /** Copies the next slice out of the frames, across frame boundaries. */
    private ByteBuf nextSlice(@Nullable ChannelHandlerContext direct) {
      int size = Math.min(SLICE_BYTES, remaining);
      ByteBuf slice = direct == null ? channel.alloc().ioBuffer(size) : startChunk(size);
      try {
        for (int left = size; left > 0; ) {
          int n = Math.min(left, frames[frame].length - offset);
          left -= n;
          slice.writeBytes(frames[frame], offset, n);
          offset += n;
          if (offset == frames[frame].length && frame < count - 1) {
            frame++;
            offset = 0;
          }
        }
      } catch (Throwable e) {
        slice.release();
        throw e;
      }
      remaining -= size;
      return slice;
    }

    private void finish(@Nullable Throwable cause) {
      writing.set(false);
      if (cause == null) {
        callback.completed();
      } else {
        callback.failed(cause);
      }
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (channel.eventLoop().inEventLoop()) {
      closeNow();
    } else {
      batcher.submit(this::closeNow); // behind any write this thread handed to the loop before
    }
  }

  private void closeNow() {
    if (!channel.eventLoop().inEventLoop()) {
      return; // the loop refused the hand-off (shut down): it closed its channels itself
    }
    ChannelHandlerContext direct = chunks;
    if (writing.get() || !channel.isWritable()) {
      channel.close(); // a stuck peer: ending politely would wait behind the stuck bytes
    } else if (direct != null) {
      direct
          .writeAndFlush(Unpooled.wrappedBuffer(LAST_CHUNK))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      channel
          .writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * In place of {@code NettySseServer}'s HTTP codec once a stream is open: the connection reads
   * no more requests, so what the client still sends is dropped here (a read still notices the
   * peer's close). Stateless; one instance for all channels.
   */
  @ChannelHandler.Sharable
  static final class StreamInput extends ChannelInboundHandlerAdapter {
    static final StreamInput INSTANCE = new StreamInput();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }
}
