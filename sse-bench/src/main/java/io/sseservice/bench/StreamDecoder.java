package io.sseservice.bench;

/**
 * Decodes one client's HTTP/1.1 chunked event stream byte by byte, fast and allocation-free: skips
 * the response head, strips chunk framing, and for every {@code data:} line parses the leading
 * {@code "<seq> <nanoTime>"} of the load server's payload. Not thread-safe: one per connection,
 * used by the client's selector thread only.
 */
final class StreamDecoder {

  /** Receives each event's sequence number and send time. */
  interface Sink {
    void event(StreamDecoder stream, long seq, long sentNanos);
  }

  private enum State {
    HEAD,
    SIZE,
    DATA,
    DATA_CR,
    DATA_LF
  }

  private State state = State.HEAD;
  private int headMatch;
  private long chunkLeft;
  private final byte[] line = new byte[48];
  private int lineLength;
  private boolean lineOverflow;
  boolean headDone;
  long events;
  long nextSeq;
  long outOfOrder;

  void feed(byte[] bytes, int length, Sink sink) {
    for (int i = 0; i < length; i++) {
      byte b = bytes[i];
      switch (state) {
        case HEAD:
          headMatch =
              (b == (headMatch % 2 == 0 ? '\r' : '\n')) ? headMatch + 1 : (b == '\r' ? 1 : 0);
          if (headMatch == 4) {
            headDone = true;
            state = State.SIZE;
            chunkLeft = 0;
          }
          break;
        case SIZE:
          if (b == '\n') {
            state = chunkLeft == 0 ? State.DATA_CR : State.DATA; // a zero chunk ends the body
          } else if (b != '\r') {
            chunkLeft = chunkLeft * 16 + Character.digit(b, 16);
          }
          break;
        case DATA:
          sse(b, sink);
          if (--chunkLeft == 0) {
            state = State.DATA_CR;
          }
          break;
        case DATA_CR:
          state = State.DATA_LF;
          break;
        default: // DATA_LF
          state = State.SIZE;
          chunkLeft = 0;
      }
    }
  }

  private void sse(byte b, Sink sink) {
    if (b != '\n') {
      if (lineLength < line.length) {
        line[lineLength++] = b;
      } else {
        lineOverflow = true;
      }
      return;
    }
    if (lineLength > 6 && line[0] == 'd' && line[4] == ':') {
      data(sink);
    }
    lineLength = 0;
    lineOverflow = false;
  }

  /** Parses {@code data: <seq> <nanos> ...} (the space after the colon is optional, as in the spec). */
  private void data(Sink sink) {
    int i = line[5] == ' ' ? 6 : 5;
    long seq = 0;
    while (i < lineLength && line[i] != ' ') {
      seq = seq * 10 + (line[i++] - '0');
    }
    i++;
    long nanos = 0;
    while (i < lineLength && line[i] != ' ') {
      nanos = nanos * 10 + (line[i++] - '0');
    }
    if (seq != nextSeq) {
      outOfOrder++;
    }
    nextSeq = seq + 1;
    events++;
    sink.event(this, seq, nanos);
  }
}
