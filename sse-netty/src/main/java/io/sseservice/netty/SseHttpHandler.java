package io.sseservice.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.sseservice.ConnectOptions;
import io.sseservice.ConnectRefusedException;
import io.sseservice.SseService;
import io.sseservice.internal.Admission;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Answers full HTTP requests on one channel (HTTP/1.1 connection or HTTP/2 stream): {@code GET}
 * on the stream path opens an event stream, anything else gets a plain-text status.
 */
final class SseHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private final SseService service;
  private final String path;
  private final Function<FullHttpRequest, @Nullable ConnectOptions> options;

  SseHttpHandler(SseService service, String path,
      Function<FullHttpRequest, @Nullable ConnectOptions> options) {
    this.service = service;
    this.path = path;
    this.options = options;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!new QueryStringDecoder(request.uri()).path().equals(path)) {
      answer(ctx, HttpResponseStatus.NOT_FOUND, "no such path", Map.of());
      return;
    }
    Admission.Decision decision = Admission.decide(service, request.method().name(),
        () -> options.apply(request));
    if (decision.refused()) {
      answer(ctx, HttpResponseStatus.valueOf(decision.status()), decision.message(),
          decision.headers());
      return;
    }
    try {
      NettySse.connect(service, ctx.channel(), request, decision.options());
    } catch (ConnectRefusedException e) {
      Admission.Decision refusal = Admission.refusal(e); // lost the race with close()
      answer(ctx, HttpResponseStatus.valueOf(refusal.status()), refusal.message(), Map.of());
      return;
    }
    if (!(ctx.channel() instanceof Http2StreamChannel)) {
      // The connection now carries only this stream and reads no more requests: the upgrade
      // handler and the aggregator would sit in every idle connection's pipeline for nothing.
      // (The codec stays: it frames the stream's chunks.)
      ChannelPipeline pipeline = ctx.pipeline();
      if (pipeline.get(HttpServerUpgradeHandler.class) != null) {
        pipeline.remove(HttpServerUpgradeHandler.class);
      }
      if (pipeline.get(HttpObjectAggregator.class) != null) {
        pipeline.remove(HttpObjectAggregator.class);
      }
    }
  }

  private static void answer(ChannelHandlerContext ctx, HttpResponseStatus status, String text,
      Map<String, String> headers) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    headers.forEach(response.headers()::set);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain;charset=utf-8");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a broken request or connection: answered by closing, never thrown further
  }
}
