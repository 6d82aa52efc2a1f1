package io.sseservice.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.sseservice.internal.BulkHandoff;
import io.sseservice.internal.Frames;
import io.sseservice.spi.Transport;
import io.sseservice.spi.WriteCallback;
import java.nio.channels.ClosedChannelException;
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
  private final AtomicBoolean writing = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final BulkHandoff batcher;

  NettyTransport(Channel channel, boolean http2) {
    this.channel = channel;
    this.http2 = http2;
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
  }

  @Override
  public void dispatchWrite(Runnable startWrite) {
    if (channel.eventLoop().inEventLoop()) {
      startWrite.run();
    } else {
      batcher.submit(startWrite); // the batch is taken on the loop, with all that queued till then
    }
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
    written.addListener(
        future -> {
          writing.set(false);
          if (future.isSuccess()) {
            callback.completed();
          } else {
            callback.failed(future.cause());
          }
        });
  }

  /**
   * One copy into one pooled I/O (direct) buffer, one flushed write: the copy a NIO socket needs
   * anyway to write heap memory, made here in one pass instead of through a composite of
   * wrappers. Whatever it throws (an Error too) fails this connection's write only.
   */
  private ChannelFuture writeOnce(byte[][] frames, int count, int length) {
    ByteBuf content = channel.alloc().ioBuffer(length);
    try {
      for (int i = 0; i < count; i++) {
        content.writeBytes(frames[i]);
      }
    } catch (Throwable e) {
      content.release();
      throw e;
    }
    return channel.writeAndFlush(new DefaultHttpContent(content)); // releases content
  }

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
          ChannelFuture written = channel.writeAndFlush(new DefaultHttpContent(nextSlice()));
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
    private ByteBuf nextSlice() {
      int size = Math.min(SLICE_BYTES, remaining);
      ByteBuf slice = channel.alloc().ioBuffer(size);
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
    if (writing.get() || !channel.isWritable()) {
      channel.close(); // a stuck peer: ending politely would wait behind the stuck bytes
    } else {
      channel
          .writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
          .addListener(ChannelFutureListener.CLOSE);
    }
  }
}
