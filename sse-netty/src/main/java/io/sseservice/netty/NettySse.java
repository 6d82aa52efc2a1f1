package io.sseservice.netty;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.sseservice.ConnectOptions;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import io.sseservice.internal.LastEventIds;

/**
 * Opens event streams on Netty channels, for applications with their own pipeline. The channel
 * must carry HTTP objects: an HTTP/1.1 connection behind {@code HttpServerCodec}, or an HTTP/2
 * stream channel behind {@code Http2StreamFrameToHttpObjectCodec} (then no {@code Connection}
 * header is sent).
 *
 * <pre>{@code
 * protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
 *   NettySse.connect(service, ctx.channel(), request,
 *       ConnectOptions.builder().clientId(userIdFrom(request)).build());
 * }
 * }</pre>
 *
 * <p>Writes go out as the core hands them over, in one flushed write per batch; the next batch
 * waits until Netty wrote the previous one to the socket, so a slow reader's events wait in the
 * core's bounded queue, the one place where slow consumers are judged.
 *
 * <p>Thread-safety: stateless and thread-safe.
 */
public final class NettySse {

  private NettySse() {}

  /**
   * Opens an event stream answering {@code request} on {@code channel} and registers it with
   * {@code service}. The last event id is read from the {@code Last-Event-ID} header, else the
   * {@code lastEventId} query parameter, unless {@code options} carries one.
   *
   * @throws IllegalStateException if the service is closed
   */
  public static SseConnection connect(SseService service, Channel channel, HttpRequest request,
      ConnectOptions options) {
    requireNonNull(service, "service");
    requireNonNull(channel, "channel");
    requireNonNull(request, "request");
    requireNonNull(options, "options");
    ConnectOptions withLastEventId = LastEventIds.apply(options,
        request.headers().get(ConnectOptions.LAST_EVENT_ID_HEADER),
        new QueryStringDecoder(request.uri()).rawQuery());
    boolean http2 = channel instanceof Http2StreamChannel;
    return service.connect(new NettyTransport(channel, http2), withLastEventId);
  }
}
