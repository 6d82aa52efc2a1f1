package io.sseservice.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The last handler of {@link NettySseServer}'s pipelines: answers 404 to a request that neither
 * the stream, a route nor the application's fallback handler took (keeping the connection), and
 * logs and closes on an exception that the fallback handler let through, so that a client is
 * never left waiting.
 *
 * <p>Thread-safety: stateless and {@link ChannelHandler.Sharable}.
 */
@ChannelHandler.Sharable
final class UnhandledRequests extends SimpleChannelInboundHandler<FullHttpRequest> {

  static final UnhandledRequests INSTANCE = new UnhandledRequests();

  private static final System.Logger LOG = System.getLogger("io.sseservice");

  private UnhandledRequests() {}

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    Responses.send(ctx, request, Responses.plain(HttpResponseStatus.NOT_FOUND, "no such path"));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(
        System.Logger.Level.WARNING,
        "the fallback handler of NettySseServer let an exception"
            + " through; closed "
            + ctx.channel(),
        cause);
    ctx.close();
  }
}
