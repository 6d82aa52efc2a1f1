package io.sseservice.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.netty.NettySse;
import java.net.InetSocketAddress;

/**
 * Server {@code netty-app} of the load tool: a Netty application as a user writes it from the
 * README's "your own pipeline" section, not {@code NettySseServer}. A {@code ServerBootstrap} on
 * a {@code NioEventLoopGroup} with Netty's default thread count (two per core), each connection's
 * pipeline {@code HttpServerCodec}, {@code HttpObjectAggregator} and one
 * {@code SimpleChannelInboundHandler} that routes {@code GET /sse?clientId=…} to
 * {@link NettySse#connect} and {@code POST /publish} to the load tool's commands (the handler
 * publishing on its event loop). Nothing is removed from the pipeline once a stream opens.
 *
 * <p>Thread-safety: the handler is shared by all channels and keeps no state.
 */
final class NettyAppServer {

  private NettyAppServer() {}

  /** Starts on a free loopback port; returns the port and how to stop. */
  @SuppressWarnings("deprecation") // NioEventLoopGroup: the one event-loop API of Netty 4.1 and 4.2
  static Started start(SseService service, Commands commands) {
    EventLoopGroup loops = new NioEventLoopGroup(Integer.getInteger("bench.netty.threads", 0));
    AppHandler handler = new AppHandler(service, commands);
    Channel server =
        new ServerBootstrap()
            .group(loops)
            .channel(NioServerSocketChannel.class)
            .option(io.netty.channel.ChannelOption.SO_BACKLOG, 8192)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), handler);
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
    return new Started(
        ((InetSocketAddress) server.localAddress()).getPort(),
        () -> {
          server.close().syncUninterruptibly();
          loops.shutdownGracefully().syncUninterruptibly();
        });
  }

  /** A started server: its port, and how to stop it. */
  record Started(int port, Runnable stop) {}

  /** The application's one handler: the stream, the publish route, 404. */
  @io.netty.channel.ChannelHandler.Sharable
  static final class AppHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final SseService service;
    private final Commands commands;

    AppHandler(SseService service, Commands commands) {
      this.service = service;
      this.commands = commands;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      QueryStringDecoder uri = new QueryStringDecoder(request.uri());
      if (request.method().equals(HttpMethod.GET) && uri.path().equals("/sse")) {
        NettySse.connect(
            service,
            ctx.channel(),
            request,
            ConnectOptions.builder().clientId(uri.parameters().get("clientId").get(0)).build());
      } else if (request.method().equals(HttpMethod.POST)
          && uri.path().equals(PublishRoutes.PATH)) {
        ctx.writeAndFlush(PublishRoutes.netty(commands, request));
      } else {
        DefaultFullHttpResponse response =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(response);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
