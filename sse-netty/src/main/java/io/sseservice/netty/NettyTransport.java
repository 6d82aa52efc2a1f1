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

/**
 * One Netty channel (an HTTP/1.1 connection or an HTTP/2 stream) as a {@link Transport}. Each
 * batch's frames are copied once into one pooled I/O buffer, one {@code HttpContent}; the core's
 * callback runs when Netty reports the write done, on the channel's event loop, which then
 * writes the next batch without a task hop.
 *
 * <p>Netty's channel serialises all writes on its event loop, so this class keeps only two
 * atomic flags: whether a write is in flight (a close then cuts instead of ending politely) and
 * whether it is closed.
 */
final class NettyTransport implements Transport {

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
    channel.closeFuture().addListener(future -> {
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
    ChannelFuture written;
    try {
      written = writeOnce(frames, count);
    } catch (Throwable e) { // e.g. OutOfMemoryError: cannot reserve direct buffer memory
      writing.set(false);
      callback.failed(e);
      return;
    }
    written.addListener(future -> {
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
  private ChannelFuture writeOnce(byte[][] frames, int count) {
    ByteBuf content = channel.alloc().ioBuffer(Frames.totalLength(frames, count));
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
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
          .addListener(ChannelFutureListener.CLOSE);
    }
  }
}
