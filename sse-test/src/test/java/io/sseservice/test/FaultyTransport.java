package io.sseservice.test;

import io.sseservice.spi.Transport;
import io.sseservice.spi.WriteCallback;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** An {@link InMemoryTransport} whose calls throw on demand: a transport that breaks its contract. */
class FaultyTransport implements Transport {

  final InMemoryTransport memory = new InMemoryTransport();
  final AtomicInteger closes = new AtomicInteger();
  volatile Throwable onOpen;
  volatile RuntimeException onWrite;
  volatile RuntimeException onDispatch;
  volatile RuntimeException onClose;

  @Override
  public void open(Map<String, String> headers, Runnable onPeerGone) throws Exception {
    memory.open(headers, onPeerGone);
    Throwable t = onOpen;
    if (t instanceof Error) {
      throw (Error) t;
    } else if (t instanceof Exception) {
      throw (Exception) t;
    }
  }

  @Override
  public void write(byte[][] frames, int count, WriteCallback callback) {
    RuntimeException e = onWrite;
    if (e != null) {
      throw e;
    }
    memory.write(frames, count, callback);
  }

  @Override
  public void dispatchWrite(Runnable startWrite) {
    RuntimeException e = onDispatch;
    if (e != null) {
      throw e;
    }
    startWrite.run();
  }

  @Override
  public void close() {
    closes.incrementAndGet();
    memory.close();
    RuntimeException e = onClose;
    if (e != null) {
      throw e;
    }
  }
}
