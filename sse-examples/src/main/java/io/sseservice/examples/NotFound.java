package io.sseservice.examples;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * The server's fallback handler: every request that is neither for {@code /sse} nor for a route
 * ({@code /}, {@code /api/...}) gets a JSON 404, like the API's other errors, and an HTTP/1.1
 * connection stays open for its next request when the request allows it.
 *
 * <p>Thread-safety: stateless and {@link ChannelHandler.Sharable}; runs on the event loops.
 */
@ChannelHandler.Sharable
final class NotFound extends SimpleChannelInboundHandler<FullHttpRequest> {

  static final NotFound INSTANCE = new NotFound();

  private NotFound() {}

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path = new QueryStringDecoder(request.uri()).path();
    FullHttpResponse response =
        Endpoint.json(HttpResponseStatus.NOT_FOUND, Endpoint.error("no such path: " + path));
    HttpUtil.setContentLength(response, response.content().readableBytes());
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    response.setProtocolVersion(request.protocolVersion()); // HTTP/1.0 keep-alive needs the header
    HttpUtil.setKeepAlive(response, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
