package io.sseservice.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.nio.charset.StandardCharsets;

/**
 * Writes the complete responses of {@link NettySseServer}'s handlers: plain-text statuses and
 * the routes' answers, keeping an HTTP/1.1 connection open for its next request when the request
 * allows it.
 *
 * <p>Thread-safety: stateless; called on the channel's event loop.
 */
final class Responses {

  private Responses() {}

  /** Returns a plain-text response of {@code status} with {@code text} as its body. */
  static FullHttpResponse plain(HttpResponseStatus status, String text) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain;charset=utf-8");
    return response;
  }

  /**
   * Writes {@code response} to {@code request}, framed by its length unless it says chunked, and
   * closes an HTTP/1 connection afterwards only if the request asked for that (HTTP/1.1
   * {@code Connection: close}, HTTP/1.0 without {@code keep-alive}). An HTTP/2 stream ends with
   * its response.
   */
  static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
    if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
        && !HttpUtil.isTransferEncodingChunked(response)) {
      HttpUtil.setContentLength(response, response.content().readableBytes());
    }
    if (ctx.channel() instanceof Http2StreamChannel) {
      ctx.writeAndFlush(response);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request) && HttpUtil.isKeepAlive(response);
    response.setProtocolVersion(request.protocolVersion());
    HttpUtil.setKeepAlive(response, keepAlive); // Connection: keep-alive on 1.0, close when closing
    if (keepAlive) {
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Writes {@code response} and closes the channel (an HTTP/1 connection or an HTTP/2 stream). */
  static void sendAndClose(ChannelHandlerContext ctx, FullHttpResponse response) {
    HttpUtil.setContentLength(response, response.content().readableBytes());
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
