package io.sseservice.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The header-read and idle timeouts of one HTTP/1.1 connection of {@link NettySseServer}: a
 * request must arrive whole within the request-read timeout of its first byte (else 408 and
 * close: a slow or stalled sender holds no connection), and a connection with no request in
 * progress is closed silently after the idle timeout. Two handlers share the state:
 * {@link #bytes} at the socket's end of the pipeline sees a request's first byte, {@link #messages}
 * behind the codec sees a request end and a response end. Once the connection carries an event
 * stream (written only) or turns HTTP/2, {@link #stop} ends the timeouts for good: the core's
 * write timeout and keep-alive watch a stream.
 *
 * <p>Thread-safety: one instance per connection, touched on its event loop only.
 */
final class RequestTimeouts {

  private final long requestReadNanos;
  private final long idleNanos;
  final ChannelInboundHandlerAdapter bytes = new Bytes();
  final ChannelDuplexHandler messages = new Messages();
  private @Nullable ChannelHandlerContext messagesCtx;
  private @Nullable ScheduledFuture<?> timer;

  /** Requests read whole and not answered yet (HTTP/1.1 pipelining may queue several). */
  private int unanswered;

  /** A request's first bytes arrived, its end not yet. */
  private boolean reading;

  private boolean stopped;

  /** Zero for either timeout means none. */
  RequestTimeouts(long requestReadNanos, long idleNanos) {
    this.requestReadNanos = requestReadNanos;
    this.idleNanos = idleNanos;
  }

  /** Ends both timeouts for good: the connection is an event stream, or HTTP/2. */
  void stop() {
    stopped = true;
    cancel();
  }

  private void idle(ChannelHandlerContext ctx) {
    schedule(ctx, idleNanos, ctx::close); // nothing started: nothing to answer
  }

  private void schedule(ChannelHandlerContext ctx, long nanos, Runnable expiry) {
    cancel();
    if (!stopped && nanos > 0) {
      timer = ctx.executor().schedule(expiry, nanos, TimeUnit.NANOSECONDS);
    }
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** The request-read timeout expired: 408, through the codec, then close. */
  private void requestTimedOut() {
    ChannelHandlerContext ctx = messagesCtx;
    if (stopped || ctx == null) {
      return;
    }
    stopped = true; // whatever comes now is not answered
    Responses.sendAndClose(
        ctx, Responses.plain(HttpResponseStatus.REQUEST_TIMEOUT, "request timeout"));
  }

  /** At the socket's end: a request's first byte starts the request-read timeout. */
  private final class Bytes extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      idle(ctx);
      super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (!stopped
          && !reading
          && unanswered == 0
          && msg instanceof ByteBuf buf
          && buf.isReadable()) {
        reading = true;
        schedule(ctx, requestReadNanos, RequestTimeouts.this::requestTimedOut);
      }
      super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      stop();
      super.channelInactive(ctx);
    }
  }

  /** Behind the codec: the end of a request, the end of a response, the switch to HTTP/2. */
  private final class Messages extends ChannelDuplexHandler {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      messagesCtx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof LastHttpContent) { // a FullHttpRequest is one too
        reading = false;
        unanswered++;
        cancel(); // the application answers in its own time
      }
      super.channelRead(ctx, msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof HttpServerUpgradeHandler.UpgradeEvent
          || event instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) {
        stop(); // HTTP/2 from now on
      }
      super.userEventTriggered(ctx, event);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
        throws Exception {
      boolean interim =
          msg instanceof HttpResponse response
              && response.status().codeClass() == HttpStatusClass.INFORMATIONAL; // 100 Continue
      if (stopped || interim || !(msg instanceof LastHttpContent)) {
        super.write(ctx, msg, promise);
        return;
      }
      ChannelPromise listened = promise.unvoid();
      listened.addListener(
          (ChannelFutureListener)
              written -> {
                unanswered = Math.max(0, unanswered - 1);
                if (unanswered == 0 && !reading && written.channel().isActive()) {
                  idle(ctx);
                }
              });
      super.write(ctx, msg, listened);
    }
  }
}
