package io.sseservice.examples;

/**
 * A request the API refuses, with the HTTP status to answer and a message for the caller. The
 * {@link Endpoint} turns it into {@code {"error": message}}.
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  ApiException(int status, String message) {
    super(message, null, false, false); // an expected answer, not a bug: no stack trace needed
    this.status = status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  int status() {
    return status;
  }
}
