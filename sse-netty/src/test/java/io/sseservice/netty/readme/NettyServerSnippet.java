package io.sseservice.netty.readme;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.netty.NettySseServer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The README's NettySseServer snippet, compiled by the build (ReadmeSnippetsTest checks it). */
final class NettyServerSnippet {

  private NettyServerSnippet() {}

  static NettySseServer start(SseService service) {
    NettySseServer server = NettySseServer.builder(service)
        .port(8080).path("/sse")
        .options(request -> ConnectOptions.builder().clientId(userIdFrom(request)).build()) // null: 403
        .route(HttpMethod.POST, "/publish", request -> {       // the application's other routes
          int reached = service.sendToAll(request.content().toString(StandardCharsets.UTF_8));
          return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
              Unpooled.copiedBuffer("reached " + reached, StandardCharsets.UTF_8));
        })
        .start();                              // HTTP/1.1, and HTTP/2 cleartext by upgrade or prior knowledge
    return server;
  }

  /** In a real app: from a verified token; here the {@code user} query parameter. */
  private static String userIdFrom(FullHttpRequest request) {
    List<String> user = new QueryStringDecoder(request.uri()).parameters().get("user");
    return user == null ? null : user.get(0);
  }
}
