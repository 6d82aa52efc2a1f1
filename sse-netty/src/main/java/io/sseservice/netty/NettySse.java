package io.sseservice.netty;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.TooLongHttpLineException;
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
 * <p>A request that Netty's decoder rejected ({@code request.decoderResult().isFailure()}: a
 * header or a URI too long, a malformed line) is no stream request: its headers may be cut off,
 * {@code Last-Event-ID} among them. Answer it with {@link #decoderFailureStatus} and close the
 * connection; {@link #connect} refuses it.
 *
 * <p>Writes go out as the core hands them over, in one flushed write per batch (a batch over 64
 * KiB in slices of 64 KiB, each copied when the one before it is out, so a connection holds at
 * most one slice of direct memory however large the event); the next batch
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
   * @throws IllegalArgumentException if Netty's decoder rejected {@code request} (answer it with
   *     {@link #decoderFailureStatus(HttpRequest)} instead)
   * @throws IllegalStateException if the service is closed
   */
  public static SseConnection connect(
      SseService service, Channel channel, HttpRequest request, ConnectOptions options) {
    return connect(service, channel, request, options, false);
  }

  /**
   * As {@link #connect(SseService, Channel, HttpRequest, ConnectOptions)}; {@code ownPipeline}:
   * the channel's pipeline is {@code NettySseServer}'s, whose HTTP codec the stream replaces.
   */
  static SseConnection connect(
      SseService service,
      Channel channel,
      HttpRequest request,
      ConnectOptions options,
      boolean ownPipeline) {
    requireNonNull(service, "service");
    requireNonNull(channel, "channel");
    requireNonNull(request, "request");
    requireNonNull(options, "options");
    DecoderResult decoded = request.decoderResult();
    if (decoded.isFailure()) {
      throw new IllegalArgumentException(
          "request: failed to decode ("
              + decoded.cause()
              + "); answer it with NettySse.decoderFailureStatus(request) and close, not a stream");
    }
    ConnectOptions withLastEventId =
        LastEventIds.apply(
            options,
            request.headers().get(ConnectOptions.LAST_EVENT_ID_HEADER),
            new QueryStringDecoder(request.uri()).rawQuery());
    boolean http2 = channel instanceof Http2StreamChannel;
    return service.connect(new NettyTransport(channel, http2, ownPipeline), withLastEventId);
  }

  /**
   * Returns the status that answers a request Netty's decoder rejected, as Jetty answers it:
   * 414 for a request line too long (the URI), 431 for a header (a cookie) too large, 413 for a
   * body too large, 400 for anything else (a malformed line, a NUL in a header). After such a
   * request the decoder reads nothing more on the connection: send the answer, then close.
   *
   * @throws IllegalArgumentException if {@code request} was decoded successfully
   */
  public static HttpResponseStatus decoderFailureStatus(HttpRequest request) {
    DecoderResult decoded = requireNonNull(request, "request").decoderResult();
    if (!decoded.isFailure()) {
      throw new IllegalArgumentException("request: decoded successfully (expected: a failure)");
    }
    Throwable cause = decoded.cause();
    if (cause instanceof TooLongHttpLineException) {
      return HttpResponseStatus.REQUEST_URI_TOO_LONG;
    } else if (cause instanceof TooLongHttpContentException) {
      return HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
    } else if (cause instanceof TooLongFrameException) { // TooLongHttpHeaderException among them
      return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
    }
    return HttpResponseStatus.BAD_REQUEST;
  }
}
