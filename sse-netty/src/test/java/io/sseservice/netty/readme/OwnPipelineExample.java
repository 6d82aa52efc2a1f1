package io.sseservice.netty.readme;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sseservice.ConnectOptions;
import io.sseservice.ConnectRefusedException;
import io.sseservice.SseService;
import io.sseservice.netty.NettySse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A complete Netty server of one's own that serves event streams with {@link NettySse#connect}:
 * {@code GET /sse?user=ann} opens ann's stream, {@code POST /notify/ann} (body: the message)
 * sends to every connection of ann, anything else gets 404; ordinary requests keep their
 * connection open. Run it with {@code main}, then
 * {@code curl -N 'http://127.0.0.1:8080/sse?user=ann'} and
 * {@code curl -d hi http://127.0.0.1:8080/notify/ann}. {@code OwnPipelineExampleIT} runs it on
 * port 0. It needs {@code io.sseservice:sse-netty}, {@code io.netty:netty-codec-http} and
 * {@code io.netty:netty-codec-http2} (sse-netty serves HTTP/2 streams too).
 *
 * <p>Thread-safety: thread-safe; {@link #close()} may be called from any thread.
 */
public final class OwnPipelineExample implements AutoCloseable {

  private final SseService service;
  private final EventLoopGroup loops;
  private final Channel server;

  private OwnPipelineExample(SseService service, EventLoopGroup loops, Channel server) {
    this.service = service;
    this.loops = loops;
    this.server = server;
  }

  /** Serves on port 8080 (or the first argument) of the loopback interface until stopped. */
  public static void main(String[] args) {
    OwnPipelineExample example = start(args.length > 0 ? Integer.parseInt(args[0]) : 8080);
    Runtime.getRuntime().addShutdownHook(new Thread(example::close));
    System.out.println("listening on http://127.0.0.1:" + example.port() + "/sse?user=ann");
  }

  /** Starts the server on {@code port} (0: any free port) of the loopback interface. */
  @SuppressWarnings("deprecation") // NioEventLoopGroup: the one event-loop API of Netty 4.1 and 4.2
  public static OwnPipelineExample start(int port) {
    SseService service = SseService.create();
    EventLoopGroup loops = new NioEventLoopGroup();
    Channel server = new ServerBootstrap()
        .group(loops)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                new AppHandler(service));
          }
        })
        .bind("127.0.0.1", port).syncUninterruptibly().channel();
    return new OwnPipelineExample(service, loops, server);
  }

  /** Returns the port the server listens on. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Returns the service, to send from elsewhere. */
  public SseService service() {
    return service;
  }

  /** Closes the service (every stream ends cleanly), then the server. */
  @Override
  public void close() {
    service.close();     // first: every stream ends cleanly
    server.close().syncUninterruptibly();
    loops.shutdownGracefully();
  }

  /** The application's handler: its own routes, and the stream. */
  static final class AppHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final SseService service;

    AppHandler(SseService service) {
      this.service = service;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      if (request.decoderResult().isFailure()) { // a cookie too large, a NUL in a header...
        HttpResponseStatus status = NettySse.decoderFailureStatus(request); // 431, 414 or 400
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        HttpUtil.setContentLength(response, 0);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE); // it reads no more
        return;
      }
      QueryStringDecoder uri = new QueryStringDecoder(request.uri());
      if (request.method().equals(HttpMethod.GET) && uri.path().equals("/sse")) {
        List<String> user = uri.parameters().get("user"); // in a real app: a verified token
        try {
          NettySse.connect(service, ctx.channel(), request, ConnectOptions.builder()
              .clientId(user == null ? null : user.get(0))
              .build());
        } catch (IllegalArgumentException e) { // an empty id, a control character in it
          respond(ctx, request, HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (ConnectRefusedException e) { // a limit reached (429), or the service closing
          respond(ctx, request, HttpResponseStatus.valueOf(e.status()), e.getMessage());
        }
        return; // the channel now carries the stream
      }
      if (request.method().equals(HttpMethod.POST) && uri.path().startsWith("/notify/")) {
        String user = uri.path().substring("/notify/".length());
        int reached = service.sendToClient(user, request.content().toString(StandardCharsets.UTF_8));
        respond(ctx, request, HttpResponseStatus.OK, "reached " + reached);
        return;
      }
      respond(ctx, request, HttpResponseStatus.NOT_FOUND, "no such path");
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request,
        HttpResponseStatus status, String text) {
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
          Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain;charset=utf-8");
      HttpUtil.setContentLength(response, response.content().readableBytes());
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      HttpUtil.setKeepAlive(response, keepAlive);
      if (keepAlive) {
        ctx.writeAndFlush(response); // the connection stays open for the next request
      } else {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a broken connection, or a bug above: never leave the client waiting
    }
  }
}
