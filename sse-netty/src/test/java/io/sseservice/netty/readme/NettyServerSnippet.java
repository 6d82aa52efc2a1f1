package io.sseservice.netty.readme;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.netty.NettySseServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;

/** The README's NettySseServer snippets, compiled by the build (ReadmeSnippetsTest checks it). */
final class NettyServerSnippet {

  private NettyServerSnippet() {}

  static NettySseServer start(SseService service) {
    NettySseServer server = NettySseServer.builder(service)
        .port(8080).path("/sse")
        .options(request -> {
          String user = userIdFrom(request);                   // e.g. from a verified token
          return user == null ? null                           // no user: 403
              : ConnectOptions.builder().clientId(user).build(); // an empty id or CR/LF: 400
        })
        .route(HttpMethod.POST, "/publish", request -> {       // the application's other routes
          int reached = service.sendToAll(request.content().toString(StandardCharsets.UTF_8));
          return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
              Unpooled.copiedBuffer("reached " + reached, StandardCharsets.UTF_8));
        })
        .start();                              // HTTP/1.1, and HTTP/2 cleartext by upgrade or prior knowledge
    return server;
  }

  static NettySseServer startWithYourHandlers(SseService service, ExecutorService blockingPool) {
    NettySseServer server = NettySseServer.builder(service)
        .routeExecutor(blockingPool)              // routes may block: they run on this pool
        .route(HttpMethod.GET, "/health", request ->
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK))
        .fallback(ApiHandler::new)                // every other path: your own Netty handler
        .start();
    return server;
  }

  /** The application's own handler: answers {@code GET /hello}, passes the rest on (404). */
  static final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      if (!new QueryStringDecoder(request.uri()).path().equals("/hello")) {
        ctx.fireChannelRead(request.retain()); // not ours: NettySseServer answers 404
        return;
      }
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.OK, Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
      HttpUtil.setContentLength(response, response.content().readableBytes());
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      HttpUtil.setKeepAlive(response, keepAlive);
      ChannelFuture written = ctx.writeAndFlush(response);
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  /** In a real app: from a verified token; here the {@code user} query parameter. */
  private static String userIdFrom(FullHttpRequest request) {
    List<String> user = new QueryStringDecoder(request.uri()).parameters().get("user");
    return user == null ? null : user.get(0);
  }
}
