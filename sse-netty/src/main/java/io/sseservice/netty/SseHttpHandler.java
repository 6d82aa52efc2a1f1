package io.sseservice.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
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
 * on the stream path opens an event stream, a request for one of the application's routes gets
 * that route's response (and the connection stays open for the next request), anything else gets
 * a plain-text status.
 */
final class SseHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final System.Logger LOG = System.getLogger("io.sseservice");

  private final SseService service;
  private final String path;
  private final Function<FullHttpRequest, @Nullable ConnectOptions> options;
  /** The application's routes: {@code "METHOD /path"} to handler. */
  private final Map<String, Function<FullHttpRequest, FullHttpResponse>> routes;

  SseHttpHandler(SseService service, String path,
      Function<FullHttpRequest, @Nullable ConnectOptions> options,
      Map<String, Function<FullHttpRequest, FullHttpResponse>> routes) {
    this.service = service;
    this.path = path;
    this.options = options;
    this.routes = routes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String requestPath = new QueryStringDecoder(request.uri()).path();
    if (!requestPath.equals(path)) {
      route(ctx, request, requestPath);
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

  private void route(ChannelHandlerContext ctx, FullHttpRequest request, String requestPath) {
    Function<FullHttpRequest, FullHttpResponse> route =
        routes.get(request.method().name() + " " + requestPath);
    if (route == null) {
      String allowed = routes.keySet().stream()
          .filter(key -> key.substring(key.indexOf(' ') + 1).equals(requestPath))
          .map(key -> key.substring(0, key.indexOf(' '))).sorted()
          .collect(java.util.stream.Collectors.joining(", "));
      if (allowed.isEmpty()) {
        answer(ctx, HttpResponseStatus.NOT_FOUND, "no such path", Map.of());
      } else {
        answer(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: use " + allowed,
            Map.of("Allow", allowed));
      }
      return;
    }
    FullHttpResponse response;
    try {
      response = java.util.Objects.requireNonNull(route.apply(request), "the route returned null");
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "route " + request.method() + " " + requestPath
          + " threw; answered 500", e);
      response = plain(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
    }
    if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request) || ctx.channel() instanceof Http2StreamChannel;
    if (keepAlive && request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    ChannelFuture written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static void answer(ChannelHandlerContext ctx, HttpResponseStatus status, String text,
      Map<String, String> headers) {
    FullHttpResponse response = plain(status, text);
    headers.forEach(response.headers()::set);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private static FullHttpResponse plain(HttpResponseStatus status, String text) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain;charset=utf-8");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    return response;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a broken request or connection: answered by closing, never thrown further
  }
}
