package io.sseservice.examples.springmvc;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sseservice.test.SseTestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;

/** Talks to the running example as ann or bob: event streams and JSON posts. */
final class ExampleClients {

  /** The users of application.properties. */
  static final Map<String, String> PASSWORDS = Map.of("ann", "ann-password", "bob", "bob-password");

  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;

  ExampleClients(int port) {
    this.port = port;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  static String basic(String user) {
    String credentials = user + ":" + PASSWORDS.get(user);
    return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(UTF_8));
  }

  /** Opens {@code user}'s event stream with the real SSE client. */
  SseTestClient stream(String user) {
    return SseTestClient.connect(uri("/sse"), Map.of("Authorization", basic(user)));
  }

  /** Posts {@code json} as {@code user}; returns the response. */
  HttpResponse<String> post(String user, String path, String json)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .header("Authorization", basic(user))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a GET, as {@code user} unless null, and returns without reading the body. */
  HttpResponse<java.io.InputStream> get(String path, String user)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
    if (user != null) {
      request.header("Authorization", basic(user));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }
}
